import FathomCore
import FathomTools
import Foundation
import MCP

extension MCPSession {
    /// How often subscribed files are checked for changes.
    static let watchInterval = Duration.milliseconds(250)
    static let maxSubscriptions = 1000

    func listResources(id: ID, params: [String: JSONValue]) throws -> Data {
        let items = services.resources.list(roots: clientRoots)
        let (page, next) = try Pagination.page(items, cursor: params["cursor"], size: services.config.mcp.pageSize)
        let resources = page.map { Resource(name: $0.name, uri: $0.uri, mimeType: $0.mimeType, size: $0.size) }
        return JSONRPC.result(id, ListResources.Result(resources: resources, nextCursor: next))
    }

    func listResourceTemplates(id: ID) -> Data {
        var templates = [
            Resource.Template(
                uriTemplate: FileResources.template, name: "file", title: "File under an allowed directory",
                description: "Any file under the allowed directories, by absolute path.")
        ]
        if services.runs != nil {
            templates.append(
                Resource.Template(
                    uriTemplate: RunResources.template, name: "run", title: "Agent run",
                    description: "One agent run by id (ask_agent and `fathom ask` print it): every step, tool call and model call, with tokens and timings.",
                    mimeType: "text/plain"))
        }
        return JSONRPC.result(id, ListResourceTemplates.Result(templates: templates))
    }

    static func readResource(id: ID, params: [String: JSONValue], services: MCPServices, roots: [String]?) async -> Data {
        guard let uri = params["uri"]?.stringValue else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: resources/read needs a string \"uri\".")
        }
        if uri.hasPrefix(RunResources.prefix) {
            return await RunResources.read(id: id, uri: uri, store: services.runs)
        }
        do {
            let content = try services.resources.read(uri: uri, roots: roots)
            return JSONRPC.result(id, ReadResource.Result(contents: [content]))
        } catch let failure as JSONRPC.Failure {
            return JSONRPC.error(id, failure.code, failure.message)
        } catch FilesystemError.notFound {
            return JSONRPC.error(id, JSONRPC.resourceNotFound, "Resource not found: \(uri.prefix(300)).")
        } catch {
            return JSONRPC.error(id, JSONRPC.invalidParams, "\(error)")
        }
    }

    func subscribe(id: ID, params: [String: JSONValue]) throws -> Data {
        guard canPush else {
            throw JSONRPC.Failure(
                JSONRPC.methodNotFound, "Method not found: resources/subscribe needs a session that can receive notifications; this server runs stateless.")
        }
        guard let uri = params["uri"]?.stringValue else {
            throw JSONRPC.Failure.invalidParams("Invalid params: resources/subscribe needs a string \"uri\".")
        }
        let path = try FileResources.path(from: uri)
        do {
            _ = try services.resources.access.pathGuard(for: ToolContext(client: client, clientRoots: clientRoots)).resolve(path)
        } catch {
            throw JSONRPC.Failure.invalidParams("Cannot subscribe to \(uri.prefix(300)): \(error)")
        }
        let stamp = services.resources.stamp(uri: uri, roots: clientRoots)
        let accepted = state.withLock { state -> Bool in
            guard state.subscriptions.count < Self.maxSubscriptions || state.subscriptions[uri] != nil else { return false }
            state.subscriptions[uri] = stamp
            if state.watcher == nil { state.watcher = startWatcher() }
            return true
        }
        guard accepted else {
            throw JSONRPC.Failure.invalidParams("Too many subscriptions (\(Self.maxSubscriptions)); unsubscribe from some first.")
        }
        return JSONRPC.result(id, JSONValue.object([:]))
    }

    func unsubscribe(id: ID, params: [String: JSONValue]) throws -> Data {
        guard let uri = params["uri"]?.stringValue else {
            throw JSONRPC.Failure.invalidParams("Invalid params: resources/unsubscribe needs a string \"uri\".")
        }
        state.withLock { _ = $0.subscriptions.removeValue(forKey: uri) }
        return JSONRPC.result(id, JSONValue.object([:]))
    }

    /// - warning: the task runs until the session closes and cancels it.
    private func startWatcher() -> Task<Void, Never> {
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                guard !Task.isCancelled, let self else { return }
                self.checkSubscriptions()
            }
        }
    }

    private func checkSubscriptions() {
        let (watched, roots) = state.withLock { ($0.subscriptions, $0.clientRoots) }
        for (uri, stamp) in watched {
            let current = services.resources.stamp(uri: uri, roots: roots)
            guard current != stamp else { continue }
            let stillWatched = state.withLock { state -> Bool in
                guard state.subscriptions[uri] != nil else { return false }
                state.subscriptions[uri] = current
                return true
            }
            if stillWatched {
                sink.send(JSONRPC.notification("notifications/resources/updated", ["uri": .string(uri)]))
            }
        }
    }
}
