import FathomAgents
import FathomCore
import FathomStore
import Foundation
import MCP

/// `fathom://runs/{id}`: a stored agent run, as text and as JSON.
enum RunResources {
    static let prefix = "fathom://runs/"
    static let template = prefix + "{id}"

    static func read(id: ID, uri: String, store: (any Store)?) async -> Data {
        let runID = String(uri.dropFirst(prefix.count))
        guard let store, !runID.isEmpty, runID.count <= 64, runID.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return JSONRPC.error(id, JSONRPC.resourceNotFound, "Resource not found: \(uri.prefix(300)).")
        }
        do {
            guard let (run, steps) = try await store.run(id: runID) else {
                return JSONRPC.error(id, JSONRPC.resourceNotFound, "Resource not found: no run has the id '\(runID)'.")
            }
            return JSONRPC.result(
                id,
                ReadResource.Result(contents: [
                    .text(RunReport.text(run, steps: steps), uri: uri, mimeType: "text/plain"),
                    .text(RunReport.json(run, steps: steps).encodedString(), uri: uri, mimeType: "application/json"),
                ]))
        } catch {
            return JSONRPC.error(id, JSONRPC.internalError, "The run could not be read: \(error)")
        }
    }
}
