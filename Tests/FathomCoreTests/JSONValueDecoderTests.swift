import FathomCore
import Foundation
import Testing

@Suite struct JSONValueDecoderTests {
    struct Edit: Decodable, Equatable {
        var oldText: String
        var newText: String
    }

    struct Arguments: Decodable, Equatable {
        var path: String
        var head: Int?
        var ratio: Double?
        var small: Int8?
        var dryRun: Bool?
        var edits: [Edit]
        var tags: [String: String]?
    }

    @Test func decodesNestedStructsOptionalsAndCollections() throws {
        let value: JSONValue = [
            "path": "a.txt", "head": 3, "ratio": 0.5, "small": 7, "dryRun": true,
            "edits": [["oldText": "x", "newText": "y"]], "tags": ["k": "v"],
        ]
        let decoded = try value.decode(Arguments.self)
        #expect(decoded == Arguments(path: "a.txt", head: 3, ratio: 0.5, small: 7, dryRun: true, edits: [Edit(oldText: "x", newText: "y")], tags: ["k": "v"]))
    }

    @Test func absentAndNullOptionalsAreNil() throws {
        let decoded = try (["path": "p", "head": nil, "edits": []] as JSONValue).decode(Arguments.self)
        #expect(decoded.head == nil && decoded.ratio == nil && decoded.edits.isEmpty)
    }

    @Test func wrongTypesAndOverflowAreErrorsNamingThePath() {
        #expect(throws: DecodingError.self) { try (["path": 1, "edits": []] as JSONValue).decode(Arguments.self) }
        #expect(throws: DecodingError.self) { try (["path": "p", "small": 300, "edits": []] as JSONValue).decode(Arguments.self) }
        #expect(throws: DecodingError.self) { try (["path": "p", "head": 1.5, "edits": []] as JSONValue).decode(Arguments.self) }
        #expect(throws: DecodingError.self) { try (["path": "p"] as JSONValue).decode(Arguments.self) }
        do {
            _ = try (["path": "p", "edits": [["oldText": 1, "newText": "y"]]] as JSONValue).decode(Arguments.self)
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["edits", "0", "oldText"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func datesAndDataUseTheirDefaultShapes() throws {
        #expect(try JSONValue.double(0).decode(Date.self) == Date(timeIntervalSinceReferenceDate: 0))
        #expect(try JSONValue.array([1, 2]).decode(Data.self) == Data([1, 2]))
    }
}
