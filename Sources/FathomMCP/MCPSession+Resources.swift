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
        let template = Resource.Template(
            uriTemplate: FileResources.template, name: "file", title: "File under an allowed directory",
            description: "Any file under the allowed directories, by absolute path.")
        return JSONRPC.result(id, ListResourceTemplates.Result(templates: [template]))
    }

    static func readResource(id: ID, params: [String: JSONValue], services: MCPServices, roots: [String]?) -> Data {
        guard let uri = params["uri"]?.stringValue else {
            return JSONRPC.error(id, JSONRPC.invalidParams, "Invalid params: resources/read needs a string \"uri\".")
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
        guard let uri = params["uri"]?.stringValue else {
            throw JSONRPC.Failure.invalidParams("Invalid params: resources/subscribe needs a string \"uri\".")
        }
        let path = try FileResources.path(from: uri)
        do {
            _ = try services.resources.access.pathGuard(for: ToolContext(client: client, clientRoots: clientRoots)).resolve(path)
        } catch {
            throw JSONRPC.Failure.invalidParams("Cannot subscribe to \(uri.prefix(300)): \(error)")
        }
        guard subscriptions.count < Self.maxSubscriptions || subscriptions[uri] != nil else {
            throw JSONRPC.Failure.invalidParams("Too many subscriptions (\(Self.maxSubscriptions)); unsubscribe from some first.")
        }
        subscriptions[uri] = services.resources.stamp(uri: uri, roots: clientRoots)
        startWatcher()
        return JSONRPC.result(id, JSONValue.object([:]))
    }

    func unsubscribe(id: ID, params: [String: JSONValue]) throws -> Data {
        guard let uri = params["uri"]?.stringValue else {
            throw JSONRPC.Failure.invalidParams("Invalid params: resources/unsubscribe needs a string \"uri\".")
        }
        subscriptions[uri] = nil
        return JSONRPC.result(id, JSONValue.object([:]))
    }

    private func startWatcher() {
        guard watcher == nil else { return }
        watcher = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.watchInterval)
                guard !Task.isCancelled else { return }
                self.checkSubscriptions()
            }
        }
    }

    private func checkSubscriptions() {
        for (uri, stamp) in subscriptions {
            let current = services.resources.stamp(uri: uri, roots: clientRoots)
            if current != stamp {
                subscriptions[uri] = current
                sink.send(JSONRPC.notification("notifications/resources/updated", ["uri": .string(uri)]))
            }
        }
    }
}
