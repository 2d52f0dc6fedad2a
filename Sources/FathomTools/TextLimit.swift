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

    /// The longest prefix of `text` that fits in `bytes` and ends on a whole character.
    public static func prefix(_ text: String, bytes: Int) -> String {
        var cut = Array(text.utf8.prefix(max(0, bytes)))
        var continuation = 0
        var index = cut.count - 1
        while index >= 0 && cut[index] & 0xC0 == 0x80 {
            continuation += 1
            index -= 1
        }
        if index >= 0 {
            let lead = cut[index]
            let expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
            if expected != continuation { cut.removeLast(continuation + 1) }
        }
        return String(decoding: cut, as: UTF8.self)
    }
}
