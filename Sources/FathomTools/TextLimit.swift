/// Cuts text at a byte budget without splitting a UTF-8 character, and says so in the text.
public enum TextLimit {
    /// - Returns: `text` unchanged when it fits; otherwise its longest prefix under `bytes`, then a
    ///   line starting `[truncated:` that says how much was left out and what to do.
    public static func truncate(_ text: String, toBytes bytes: Int, hint: String) -> String {
        let total = text.utf8.count
        guard total > bytes else { return text }
        let kept = prefix(text, bytes: bytes)
        return kept + "\n[truncated: showed \(kept.utf8.count) of \(total) bytes; \(hint)]"
    }

    /// One value (a log line, a table cell) cut at a byte budget, ending with how long it was.
    public static func clip(_ text: String, maxBytes: Int) -> String {
        text.utf8.count <= maxBytes ? text : prefix(text, bytes: maxBytes) + "…[\(text.utf8.count) bytes]"
    }

    /// Decodes bytes that were cut at an arbitrary offset: an incomplete last character is dropped,
    /// not turned into U+FFFD.
    public static func decodeCut(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        return String(decoding: array[..<completeLength(array)], as: UTF8.self)
    }

    /// How many leading bytes form whole UTF-8 characters.
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var continuation = 0
        var index = bytes.count - 1
        while index >= 0 && bytes[index] & 0xC0 == 0x80 && continuation < 3 {
            continuation += 1
            index -= 1
        }
        guard index >= 0 else { return bytes.count }
        let lead = bytes[index]
        let expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        return expected == continuation ? bytes.count : index
    }

    /// The longest prefix of `text` that fits in `bytes` and ends on a whole character.
    public static func prefix(_ text: String, bytes: Int) -> String {
        decodeCut(text.utf8.prefix(max(0, bytes)))
    }
}
