/// The word lists behind ``QueryGuard``: English words that flip, quantify, date or merely decorate a request.
/// Every word is lowercase and unstemmed; lookups are on the folded token.
enum QueryVocabulary {
    /// Words that negate what follows ("n't" is split off contractions by the tokenizer and counts too).
    static let negators: Set<String> = [
        "not", "no", "never", "n't", "without", "none", "nothing", "nobody", "nowhere", "neither", "nor", "cannot",
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "cant", "shouldnt", "wouldnt",
        "couldnt", "havent", "hasnt", "hadnt", "aint",
    ]

    /// Axes of opposite actions or directions. A request may leave an axis unsaid (then it counts as positive:
    /// "play jazz" = "put jazz on"), but two requests that say different things on one axis are different requests.
    static let polarityAxes: [(name: String, positive: Set<String>, negative: Set<String>)] = [
        ("on/off",
         ["on", "start", "enable", "activate", "resume", "play", "begin", "launch", "arm", "connect", "run"],
         ["off", "stop", "disable", "deactivate", "pause", "halt", "disarm", "disconnect", "quit", "cancel"]),
        ("open/close", ["open", "opened", "opening", "raise"], ["close", "closed", "closing", "shut"]),
        ("lock/unlock", ["lock", "locked", "locking"], ["unlock", "unlocked", "unlocking"]),
        ("mute/unmute", ["mute", "muted", "silence"], ["unmute", "unmuted"]),
        ("up/down",
         ["increase", "up", "higher", "louder", "brighter", "brighten", "more", "maximum", "boost", "warmer",
          "faster", "raise", "above", "over", "after", "most", "highest"],
         ["decrease", "down", "lower", "quieter", "dimmer", "dim", "reduce", "less", "fewer", "minimum",
          "cooler", "slower", "below", "under", "before", "least", "lowest"]),
        ("add/remove",
         ["add", "include", "insert", "append", "put", "install", "subscribe", "show", "allow", "accept"],
         ["remove", "delete", "drop", "exclude", "erase", "clear", "uninstall", "unsubscribe", "hide", "deny",
          "block", "reject", "decline"]),
        ("buy/sell", ["buy", "purchase", "buying", "bought"], ["sell", "selling", "sold", "short"]),
        ("yes/no", ["true", "yes", "correct", "win", "gain", "profit", "positive"],
         ["false", "wrong", "incorrect", "lose", "loss", "negative"]),
    ]

    /// Words that place a request in time; two requests must name the same ones.
    static let timeWords: Set<String> = [
        "today", "tonight", "tomorrow", "yesterday", "now", "morning", "afternoon", "evening", "night", "noon",
        "midnight", "weekend", "week", "weekly", "month", "monthly", "year", "yearly", "daily", "hourly", "next",
        "last", "previous", "ago", "later", "soon", "earlier", "recently", "currently", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
        "june", "july", "august", "september", "october", "november", "december", "spring", "summer", "autumn",
        "fall", "winter",
    ]

    /// Tense markers: a question about the past is not the same as one about the present or future.
    static let pastMarkers: Set<String> = ["was", "were", "did", "had", "ago", "yesterday", "previous", "last"]

    /// Number words with their values (cardinals); ordinals map to "#n".
    static let numberWords: [String: String] = {
        var words: [String: String] = [
            "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
            "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
            "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
            "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000",
            "million": "1000000", "billion": "1000000000", "dozen": "12", "half": "0.5", "quarter": "0.25",
            "double": "x2", "twice": "x2", "triple": "x3", "once": "x1", "single": "1", "couple": "2",
            "first": "#1", "second": "#2", "third": "#3", "fourth": "#4", "fifth": "#5", "tenth": "#10",
        ]
        words["both"] = "2"
        return words
    }()

    /// Units that qualify a number, reduced to one spelling; "10 minutes" and "10 seconds" differ.
    static let units: [String: String] = {
        let groups: [String: [String]] = [
            "%": ["%", "percent", "pct"], "degree": ["degree", "degrees", "deg", "°"],
            "celsius": ["c", "celsius"], "fahrenheit": ["f", "fahrenheit"], "am": ["am", "a.m."], "pm": ["pm", "p.m."],
            "second": ["second", "seconds", "sec", "secs", "s"], "minute": ["minute", "minutes", "min", "mins"],
            "hour": ["hour", "hours", "hr", "hrs", "h"], "day": ["day", "days"], "week": ["week", "weeks"],
            "month": ["month", "months"], "year": ["year", "years", "yr", "yrs"], "millisecond": ["ms"],
            "kilogram": ["kg", "kilo", "kilos", "kilogram", "kilograms"], "gram": ["g", "gram", "grams"],
            "pound": ["lb", "lbs", "pound", "pounds"], "kilometre": ["km", "kilometer", "kilometers", "kilometre"],
            "metre": ["m", "meter", "meters", "metre", "metres"], "mile": ["mile", "miles", "mi"],
            "centimetre": ["cm"], "millimetre": ["mm"], "inch": ["inch", "inches", "in."],
            "foot": ["foot", "feet", "ft"],
            "litre": ["l", "liter", "liters", "litre", "litres"], "millilitre": ["ml"], "gigabyte": ["gb"],
            "megabyte": ["mb"], "kilobyte": ["kb"], "terabyte": ["tb"], "dollar": ["$", "dollar", "dollars", "usd"],
            "euro": ["€", "euro", "euros", "eur"], "pound sterling": ["£", "gbp"], "share": ["share", "shares"],
            "times": ["times", "x"],
        ]
        var units: [String: String] = [:]
        for (canonical, spellings) in groups { for spelling in spellings { units[spelling] = canonical } }
        return units
    }()

    /// Words that carry no content of their own in a request; adding, dropping or swapping them changes nothing.
    static let fillers: Set<String> = [
        "a", "an", "the", "to", "of", "in", "at", "by", "for", "with", "from", "into", "onto", "about", "as", "and",
        "or", "my", "me", "i", "im", "you", "your", "we", "our", "us", "it", "its", "this", "that", "these", "those",
        "is", "are", "be", "been", "am", "do", "does", "can", "could", "would", "should", "will", "shall", "may",
        "might", "must", "have", "has", "what", "whats", "how", "when", "where", "which", "who", "why", "whether",
        "there", "here", "please", "kindly", "hey", "ok", "okay", "thanks", "tell", "give", "get", "let",
        "lets", "make", "set", "turn", "switch", "know", "want", "need", "like", "explain", "mean", "means", "find",
        "check", "see", "look", "some", "any", "much", "many", "just", "also", "again", "really", "current", "steps",
        "step", "way", "going", "go", "if", "so", "then", "than", "something", "anything", "thing", "things",
        "doing", "done", "able", "possible", "try", "help", "quick", "quickly", "exactly", "actually", "right",
    ]

    /// Synonyms reduced to one word before comparison (only unambiguous, request-level ones).
    static let synonyms: [String: String] = [
        "biggest": "largest", "big": "large", "huge": "large", "bigger": "larger",
        "tiny": "small", "little": "small", "shut": "close", "begin": "start", "halt": "stop",
        "purchase": "buy", "film": "movie", "films": "movies", "picture": "photo", "pictures": "photos",
        "photograph": "photo", "tv": "television", "telly": "television", "automobile": "car", "cars": "car",
        "mom": "mother", "mum": "mother", "mommy": "mother", "dad": "father", "daddy": "father",
        "fridge": "refrigerator", "couch": "sofa", "hi": "hello",
    ]
}
