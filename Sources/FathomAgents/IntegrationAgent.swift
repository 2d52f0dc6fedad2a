import AsyncHTTPClient
import FathomCore
import FathomLLM
import FathomTools
import Foundation
import NIOCore

/// The integration kind: composes a message (a model writes it, else the agent's template is filled in) and posts it
/// to the agent's webhook as `{"text": …}`.
struct IntegrationAgent {
    let agent: AgentSpec
    let run: AgentRun

    static let webhookTimeout: Int64 = 10

    func answer(_ question: String) async -> (AgentAnswer.Mode, String) {
        let started = ContinuousClock.now
        let template = Self.fill(agent.template ?? "{{question}}", question: run.engine.redactor.redact(question))
        var mode = AgentAnswer.Mode.fallback(why: LLMError.noModel.description)
        var message = template
        if run.hasModel {
            do {
                let prompt = run.engine.systemPrompt(
                    for: agent,
                    extra: "Write the message to send for the request below: plain text, at most 8 lines, facts only. "
                        + "Reply with the message alone. The template it replaces was:\n" + template)
                let reply = try await run.complete(
                    ChatRequest(messages: [.system(prompt), .user(run.engine.redactor.redact(question))], maxTokens: 400), for: agent)
                await run.journal.step(.llm, name: reply.model, input: question, output: reply.content, outcome: "ok", usage: reply.usage, started: started)
                let text = reply.content.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !text.isEmpty else { throw AgentLoopError.emptyReply }
                (mode, message) = (.llm(model: reply.model), text)
            } catch {
                mode = .fallback(why: "\(error)")
            }
        }
        message = run.engine.redactor.redact(message)
        guard let webhook = agent.webhook else {
            return (mode, message + "\n\n(no webhook is configured for \(agent.name), so nothing was sent)")
        }
        let sent = await post(message, to: webhook)
        return (mode, message + "\n\n" + sent)
    }

    /// Posts the message; the outcome in words.
    private func post(_ message: String, to url: String) async -> String {
        let started = ContinuousClock.now
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: OutboundHTTP.userAgent)
        request.body = .bytes(ByteBuffer(bytes: JSONWriter.write(["text": .string(message), "agent": .string(agent.name)])))
        let outcome: String
        do {
            let response = try await OutboundHTTP.client.execute(request, timeout: .seconds(Self.webhookTimeout))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            outcome = (200..<300).contains(response.status.code)
                ? "Sent to the webhook (HTTP \(response.status.code))." : "The webhook refused it: HTTP \(response.status.code)."
        } catch {
            outcome = "The webhook could not be reached: \(TextLimit.clip(String(describing: error), maxBytes: 200))."
        }
        let host = URL(string: url)?.host ?? "the webhook"
        await run.journal.step(.tool, name: "webhook", input: host, output: outcome, outcome: outcome.hasPrefix("Sent") ? "ok" : "error", started: started)
        await run.events.onStep("webhook \(host) → \(outcome)")
        return outcome
    }

    static func fill(_ template: String, question: String) -> String {
        template.replacingOccurrences(of: "{{question}}", with: question)
    }
}
