import Foundation

/// Turns a document's content into the plain text that is chunked and indexed.
enum TextExtractor {
    /// Plain text of `content` read as `type`. Markdown and code are indexed as written; HTML loses its tags,
    /// scripts and styles; PDF text must come through ``pdfText(_:)``.
    static func text(of content: String, type: DocumentType) -> String {
        switch type {
        case .html: return stripHTML(content)
        case .text, .markdown, .code, .pdf: return content
        }
    }

    /// HTML without tags, comments, `<script>` and `<style>` bodies, with common entities decoded and block
    /// elements turned into line breaks.
    static func stripHTML(_ html: String) -> String {
        var text = html
        for pattern in ["(?is)<!--.*?-->", "(?is)<script\\b.*?</script\\s*>", "(?is)<style\\b.*?</style\\s*>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        text = text.replacingOccurrences(
            of: "(?i)<\\s*(br|/p|/div|/li|/h[1-6]|/tr|/title)\\b[^>]*>", with: "\n", options: .regularExpression)
        text = text.replacingOccurrences(of: "(?s)<[^>]*>", with: " ", options: .regularExpression)
        let entities = ["&nbsp;": " ", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'"]
        for (entity, character) in entities { text = text.replacingOccurrences(of: entity, with: character) }
        text = text.replacingOccurrences(of: "&amp;", with: "&")
        text = text.replacingOccurrences(of: "[ \\t]+", with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: " *\\n[ \\n]*", with: "\n", options: .regularExpression)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Text of a PDF through poppler's `pdftotext`, or `unsupportedDocument` when it is not installed.
    static func pdfText(_ pdf: Data) throws(VecdError) -> String {
        let candidates = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]
        guard let tool = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw VecdError(
                .unsupportedDocument,
                "PDF needs pdftotext (Debian: apt-get install poppler-utils), which is not installed")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-pdf-\(newID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let input = directory.appendingPathComponent("in.pdf")
            let output = directory.appendingPathComponent("out.txt")
            try pdf.write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = ["-enc", "UTF-8", "-q", input.path, output.path]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw VecdError(
                    .unsupportedDocument, "pdftotext could not read the PDF (exit \(process.terminationStatus))")
            }
            return try String(contentsOf: output, encoding: .utf8)
        } catch let error as VecdError {
            throw error
        } catch {
            throw VecdError(.unsupportedDocument, "PDF extraction failed: \(error)")
        }
    }
}
