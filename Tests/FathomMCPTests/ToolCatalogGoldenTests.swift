import FathomCore
import Foundation
import Testing

/// The tool catalog is an interface: any change to a name, schema or annotation shows up as a diff
/// of `Fixtures/tools-list.json`. Regenerate it on purpose with FATHOM_UPDATE_GOLDEN=1.
@Suite struct ToolCatalogGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tools-list.json")

    @Test func toolsListMatchesTheGoldenFile() async throws {
        let harness = try MCPHarness(policy: {
            $0.readOnly = false
            $0.allow = ["*"]
        })
        _ = await harness.initialize(version: "2025-11-25")
        let tools = await harness.request(1, "tools/list")["result"]?["tools"] ?? .null
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let rendered = try encoder.encode(tools)
        if ProcessInfo.processInfo.environment["FATHOM_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: Self.golden)
        }
        let expected = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.golden))
        #expect(tools == expected, "tools/list changed; if on purpose, run FATHOM_UPDATE_GOLDEN=1 swift test and review the diff")
        #expect(tools.arrayValue?.count == 13)
    }
}
