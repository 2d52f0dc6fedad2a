import FathomLLM

/// Keeps a conversation inside the model's context window: tool output is cut to a share of the window, and when the
/// whole still does not fit, the oldest tool outputs are replaced by a note, newest kept.
enum ContextFit {
    /// Tokens kept free for the reply.
    static let replyTokens = 1024
    /// Without a known window, a tool output is cut here.
    static let defaultToolOutputBytes = 16 * 1024

    /// A quarter of what is left of the window after the reply, at about four bytes a token, within 1 to 16 KiB.
    static func toolOutputBytes(window: Int?) -> Int {
        guard let window else { return defaultToolOutputBytes }
        return min(defaultToolOutputBytes, max(1024, window - replyTokens))
    }

    static func fit(_ messages: [ChatMessage], window: Int?) -> [ChatMessage] {
        guard let window else { return messages }
        let limit = window - replyTokens
        var fitted = messages
        var total = fitted.reduce(0) { $0 + TokenUsage.estimate($1.content) + 4 }
        // The last turn's outputs are what the model needs next: elide from the oldest, stop before the last message.
        var index = 0
        while total > limit, index < fitted.count - 1 {
            if fitted[index].role == .tool {
                let before = TokenUsage.estimate(fitted[index].content)
                fitted[index].content = "<tool_output status=\"elided\">[this earlier output was dropped to fit the context window]</tool_output>"
                total -= before - TokenUsage.estimate(fitted[index].content)
            }
            index += 1
        }
        return fitted
    }
}
