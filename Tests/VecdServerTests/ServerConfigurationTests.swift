import Foundation
import Logging
import Testing
import VecdEmbed
import VecdServer

/// `vecd serve`'s settings: the config file, the environment and the precedence flag > env > file > default.
@Suite("Server configuration")
struct ServerConfigurationTests {
    /// Writes `json` to a config file in a new temporary directory.
    static func configFile(_ json: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("vecd.json")
        try Data(json.utf8).write(to: file)
        return file
    }

    static let fullFile = """
        {
          "host": "0.0.0.0", "port": 9000, "data": "store", "log_level": "warning",
          "api_keys": [
            {"key": "k-admin-0123456789abcdef", "tenant": "acme", "role": "admin"},
            {"key": "k-user-0123456789abcdef", "tenant": "acme", "user_id": "u1", "role": "read"}
          ],
          "limits": {"max_body_bytes": 1048576, "max_k": 100, "max_batch": 50},
          "embedder": {"provider": "ollama", "base_url": "http://127.0.0.1:11434", "model": "nomic-embed-text",
                       "dimension": 768, "timeout_ms": 5000, "api_key_env": "OLLAMA_KEY"}
        }
        """

    @Test("a config file sets every setting; a relative data path is taken from the file's directory")
    func fileSetsEverything() throws {
        let file = try Self.configFile(Self.fullFile)
        let configuration = ServerConfiguration.resolved(file: try .init(configFile: file))
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.port == 9000)
        #expect(configuration.logLevel == .warning)
        #expect(
            configuration.dataDirectory?.standardizedFileURL.path
                == file.deletingLastPathComponent().appendingPathComponent("store").standardizedFileURL.path)
        #expect(configuration.apiKeys.count == 2)
        #expect(configuration.apiKeys[1] == APIKey(key: "k-user-0123456789abcdef", tenant: "acme", userID: "u1", role: .read))
        #expect(configuration.limits.maxK == 100)
        #expect(configuration.limits.maxBatch == 50)
        #expect(configuration.limits.maxBodyBytes == 1_048_576)
        guard case .http(let embedder) = configuration.embedder else {
            Issue.record("expected an HTTP embedder, got \(configuration.embedder)")
            return
        }
        #expect(embedder.api == .ollama)
        #expect(embedder.dimension == 768)
        #expect(embedder.timeoutMilliseconds == 5_000)
        #expect(embedder.apiKeyEnvironmentVariable == "OLLAMA_KEY")
        try configuration.validate()
    }

    @Test("flags override the environment, which overrides the file, which overrides the defaults")
    func precedence() throws {
        let file = try ServerConfiguration.Layer(
            configFile: try Self.configFile(#"{"host": "10.0.0.1", "port": 9000, "log_level": "error", "limits": {"max_k": 5}}"#))
        let environment = try ServerConfiguration.Layer(environment: [
            "VECD_PORT": "9100", "VECD_LOG_LEVEL": "debug", "VECD_DATA": "/srv/vecd", "UNRELATED": "x",
        ])
        var flags = ServerConfiguration.Layer()
        flags.port = 9200
        let configuration = ServerConfiguration.resolved(file: file, environment: environment, flags: flags)
        #expect(configuration.port == 9200)  // flag
        #expect(configuration.logLevel == .debug)  // env over file
        #expect(configuration.dataDirectory?.path == "/srv/vecd")  // env over default
        #expect(configuration.host == "10.0.0.1")  // file over default
        #expect(configuration.limits.maxK == 5)  // file
        #expect(configuration.limits.maxBatch == ServerLimits().maxBatch)  // default
        #expect(configuration.embedder == .hashing(dimension: 512))  // default: the offline embedder at its default
    }

    @Test("--ephemeral drops the data directory and picks a free port unless one was given")
    func ephemeral() throws {
        var flags = ServerConfiguration.Layer()
        flags.ephemeral = true
        let free = ServerConfiguration.resolved(flags: flags)
        #expect(free.port == 0)
        #expect(free.dataDirectory == nil)
        let pinned = ServerConfiguration.resolved(
            environment: try .init(environment: ["VECD_PORT": "7000"]), flags: flags)
        #expect(pinned.port == 7000)
    }

    @Test("the environment takes API keys and the embedder as JSON")
    func environmentJSON() throws {
        let layer = try ServerConfiguration.Layer(environment: [
            "VECD_API_KEYS": #"[{"key": "env-key-0123456789abcdef", "tenant": "t1", "role": "write"}]"#,
            "VECD_EMBEDDER": #"{"provider": "hashing", "dimension": 128}"#,
            "VECD_MAX_BATCH": "10",
        ])
        #expect(layer.apiKeys == [APIKey(key: "env-key-0123456789abcdef", tenant: "t1", role: .write)])
        #expect(layer.embedder == .hashing(dimension: 128))
        #expect(layer.maxBatch == 10)
    }

    @Test(
        "bad files are refused with the path of the bad value",
        arguments: [
            (#"{"max_k": 5}"#, "max_k is not a setting"),
            (#"{"limits": {"max_kk": 5}}"#, "limits.max_kk is not a setting"),
            (#"{"port": "80"}"#, "port must be an integer"),
            (#"{"port": 80.5}"#, "port must be an integer"),
            (#"{"api_keys": [{"key": "k-0123456789abcdef", "tenant": "t", "role": "owner"}]}"#, "api_keys[0].role"),
            (#"{"api_keys": [{"key": "k-0123456789abcdef", "role": "read"}]}"#, "api_keys[0].tenant is required"),
            (#"{"embedder": {"provider": "cohere"}}"#, "embedder.provider must be hashing, openai or ollama"),
            (#"{"embedder": {"provider": "openai", "base_url": "http://x", "model": "m"}}"#, "embedder.dimension"),
            (#"{"log_level": "loud"}"#, "log_level must be one of"),
            (#"[1, 2]"#, "must be a JSON object"),
            (#"{"host": "#, "not valid JSON"),
        ])
    func badFiles(json: String, expected: String) throws {
        let file = try Self.configFile(json)
        let error = #expect(throws: APIConfigurationError.self) { _ = try ServerConfiguration.Layer(configFile: file) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains(file.path) == true)
    }

    @Test("bad environment values name the variable", arguments: [
        ("VECD_PORT", "eighty"), ("VECD_EPHEMERAL", "maybe"), ("VECD_API_KEYS", "{not json"),
        ("VECD_LOG_LEVEL", "loud"), ("VECD_API_KEYS", #"{"key": "x"}"#), ("VECD_MAP_ADVICE", "sequential"),
        ("VECD_HUGE_PAGES", "yes"),
    ])
    func badEnvironment(name: String, value: String) {
        let error = #expect(throws: APIConfigurationError.self) {
            _ = try ServerConfiguration.Layer(environment: [name: value])
        }
        #expect(error?.description.contains(name) == true, "\(String(describing: error))")
    }

    @Test("validate refuses an open server off loopback, short or repeated keys, and out-of-range values")
    func validation() throws {
        func refusal(_ change: (inout ServerConfiguration) -> Void) -> String? {
            var configuration = ServerConfiguration()
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch { return error.description }
        }
        let key = APIKey(key: "valid-key-0123456789", tenant: "t", role: .admin)
        #expect(refusal { $0.host = "0.0.0.0" }?.contains("loopback") == true)
        #expect(refusal { $0.host = "0.0.0.0"; $0.apiKeys = [key] } == nil)
        #expect(refusal { $0.apiKeys = [APIKey(key: "short", tenant: "t", role: .read)] }?.contains("16") == true)
        #expect(refusal { $0.apiKeys = [key, key] }?.contains("twice") == true)
        #expect(refusal { $0.port = 70_000 }?.contains("port") == true)
        #expect(refusal { $0.limits.maxK = 0 }?.contains("max_k") == true)
        #expect(refusal { $0.embedder = .hashing(dimension: 3) }?.contains("dimension") == true)
    }

    @Test("an HTTP embedder whose key variable is unset is refused before the server starts")
    func missingEmbedderKey() throws {
        let setting = EmbedderSetting.http(
            HTTPEmbedderConfiguration(
                api: .openAICompatible, baseURL: URL(string: "http://127.0.0.1:1")!, model: "m", dimension: 8,
                apiKeyEnvironmentVariable: "VECD_TEST_NO_SUCH_KEY"))
        #expect(throws: APIConfigurationError.self) { _ = try setting.makeEmbedder(environment: [:]) }
        let embedder = try setting.makeEmbedder(environment: ["VECD_TEST_NO_SUCH_KEY": "secret"])
        #expect(embedder.dimension == 8)
        #expect(!setting.summary.contains("secret"))
    }
}
