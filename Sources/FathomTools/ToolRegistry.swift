import FathomCore
import FathomStore
import Foundation

/// The catalog of tools and the single path every call takes:
/// policy check → schema check → decode → call → output check → audit.
///
/// MCP clients, the CLI and agents all call through here, so a call from an LLM and from a person are checked alike.
public final class ToolRegistry: Sendable {
    /// The outcome of a call, as the front doors need it.
    public enum Outcome: Sendable, Equatable {
        case result(ToolResult)
        /// No tool has that name: a protocol error (-32602) for MCP.
        case unknownTool(String)
        /// The caller cancelled; MCP sends no response.
        case cancelled
    }

    /// A last bound on text returned by any tool, on top of each tool's own limits.
    public static let maxResultTextBytes = 8 * 1024 * 1024

    private struct Entry: Sendable {
        let descriptor: ToolDescriptor
        let validator: JSONSchemaValidator
        let outputValidator: JSONSchemaValidator?
        let invoke: @Sendable (JSONValue, ToolContext) async throws -> ToolResult
    }

    private let entries: [String: Entry]
    private let order: [String]
    public let policy: Policy
    /// How many tools are registered, whatever the policy.
    public var count: Int { order.count }
    private let audit: AuditLog?
    private let observer: CallObserver?

    /// Told of every finished call, for metrics.
    public typealias CallObserver = @Sendable (_ tool: String, _ outcome: AuditRecord.Outcome, _ elapsed: Duration) -> Void

    /// A tool known only at run time, such as another MCP server's: its descriptor and how to call it with raw
    /// arguments (already checked against the descriptor's input schema).
    public struct ProxiedTool: Sendable {
        public let descriptor: ToolDescriptor
        public let call: @Sendable (JSONValue, ToolContext) async throws -> ToolResult

        public init(descriptor: ToolDescriptor, call: @escaping @Sendable (JSONValue, ToolContext) async throws -> ToolResult) {
            self.descriptor = descriptor
            self.call = call
        }
    }

    /// - Parameters:
    ///   - proxied: tools known only at run time; a name already taken by a built-in tool is skipped.
    ///   - audit: where every call is recorded; it redacts arguments and errors before they are stored.
    ///   - observer: told of every call once it is audited.
    public init(tools: [any Tool], proxied: [ProxiedTool] = [], policy: Policy, audit: AuditLog?, observer: CallObserver? = nil) {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        for tool in tools {
            let entry = Self.entry(for: tool)
            if entries[entry.descriptor.name] == nil { order.append(entry.descriptor.name) }
            entries[entry.descriptor.name] = entry
        }
        for tool in proxied where entries[tool.descriptor.name] == nil {
            order.append(tool.descriptor.name)
            entries[tool.descriptor.name] = Entry(
                descriptor: tool.descriptor, validator: JSONSchemaValidator(tool.descriptor.inputSchema),
                outputValidator: nil, invoke: tool.call)
        }
        self.entries = entries
        self.order = order
        self.policy = policy
        self.audit = audit
        self.observer = observer
    }

    private static func entry<T: Tool>(for tool: T) -> Entry {
        Entry(
            descriptor: ToolDescriptor(T.self), validator: JSONSchemaValidator(T.inputSchema),
            outputValidator: T.outputSchema.map(JSONSchemaValidator.init),
            invoke: { json, context in
                let arguments = try json.decode(T.Arguments.self)
                return try await tool.call(arguments, context: context)
            })
    }

    /// Every registered tool, in registration order.
    public var allDescriptors: [ToolDescriptor] { order.compactMap { entries[$0]?.descriptor } }

    /// The tools this client may call: in read-only mode the write tools are not even listed.
    public func descriptors(client: String, agent: String? = nil) -> [ToolDescriptor] {
        allDescriptors.filter { policy.check(client: client, agent: agent, tool: $0, arguments: nil) == .allow }
    }

    public func descriptor(named name: String) -> ToolDescriptor? { entries[name]?.descriptor }

    /// Runs one tool call through policy, validation and audit.
    /// - Parameter arguments: the raw arguments object; nil is taken as `{}`.
    public func call(_ name: String, arguments: JSONValue?, context: ToolContext) async -> Outcome {
        guard let entry = entries[name] else { return .unknownTool(name) }
        let start = ContinuousClock.now
        let arguments = arguments ?? .object([:])
        var outcome = AuditRecord.Outcome.ok
        var result: ToolResult
        if case .deny(let reason) = policy.check(
            client: context.client, agent: context.agent, tool: entry.descriptor, arguments: arguments)
        {
            outcome = .denied
            result = .error(reason)
            await context.log(.warning, reason)
        } else if case let errors = entry.validator.validate(arguments, root: "arguments"), !errors.isEmpty {
            outcome = .invalid
            result = .error("Invalid arguments for \(name): " + errors.joined(separator: "; ") + ".")
        } else if case .declined(let why) = await Self.approval(entry.descriptor, arguments: arguments, context: context) {
            outcome = .denied
            result = .error("\(name) was not run: \(why).")
        } else {
            do {
                result = try await entry.invoke(arguments, context)
                if result.isError { outcome = .error }
                // A cancelled call is answered with nothing, whatever the tool returned.
                if Task.isCancelled { outcome = .cancelled }
            } catch is CancellationError {
                outcome = .cancelled
                result = .error("cancelled")
            } catch let error as DecodingError {
                outcome = .invalid
                result = .error("Invalid arguments for \(name): \(Self.describe(error)).")
            } catch {
                outcome = .error
                result = .error("\(error)")
            }
            if outcome == .ok, let validator = entry.outputValidator {
                let errors = validator.validate(result.structured ?? .null, root: "structuredContent")
                if !errors.isEmpty {
                    outcome = .error
                    result = .error("\(name) produced output that does not match its outputSchema: \(errors.joined(separator: "; ")). This is a bug in Fathom; please report it.")
                }
            }
        }
        result = Self.bounded(result)
        let elapsed = ContinuousClock.now - start
        audit?.record(
            AuditRecord(
                at: Date(), client: context.client, agent: context.agent, tool: name, arguments: "", outcome: outcome,
                error: outcome == .ok ? nil : result.text, durationMicroseconds: elapsed.microseconds),
            arguments: arguments)
        observer?(name, outcome, elapsed)
        if outcome != .denied {
            await context.log(outcome == .ok ? .debug : .info, "tool \(name) \(outcome.rawValue) in \(elapsed.microseconds)us")
        }
        return outcome == .cancelled ? .cancelled : .result(result)
    }

    /// A destructive call that changes something (not a dry run: see ``Tool/dryRunArgument``) is put to the
    /// person behind the client, when the client can ask; the question shows the tool and every argument.
    private static func approval(_ tool: ToolDescriptor, arguments: JSONValue, context: ToolContext) async -> ToolContext.Approval {
        let dryRun = tool.dryRunArgument.map { arguments[$0]?.boolValue == true } ?? false
        guard tool.annotations.isDestructive, !dryRun, let approve = context.approve else { return .approved }
        // Each argument as JSON, a long one (a file's new content) cut to its start.
        let shown = (arguments.objectValue ?? [:]).sorted { $0.key < $1.key }.map { key, value in
            let text = value.encodedString()
            return "\(key): " + (text.count > 300 ? text.prefix(300) + "… (\(text.utf8.count) bytes)" : text)
        }
        return await approve(
            "\(context.client) asks Fathom to run \(tool.name) (\(tool.title)), which changes things"
                + (shown.isEmpty ? "." : ", with " + shown.joined(separator: ", ") + ".") + " Approve it?")
    }

    private static func bounded(_ result: ToolResult) -> ToolResult {
        var budget = maxResultTextBytes
        var copy = result
        copy.content = result.content.map { block in
            guard case .text(let text) = block else { return block }
            let size = text.utf8.count
            defer { budget = max(0, budget - size) }
            guard size > budget else { return block }
            return .text(TextLimit.truncate(text, toBytes: budget, hint: "the result was larger than \(maxResultTextBytes) bytes; narrow the request"))
        }
        return copy
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        case .keyNotFound(let key, _):
            return "missing '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}

extension Duration {
    var microseconds: Int64 { components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000 }
}
