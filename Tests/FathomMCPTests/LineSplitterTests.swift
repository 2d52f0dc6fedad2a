import Foundation
import Testing

@testable import FathomMCP

@Suite struct LineSplitterTests {
    func split(_ chunks: [String], limit: Int = 100) -> [StdioTransport.Input] {
        var splitter = LineSplitter(limit: limit)
        var out: [StdioTransport.Input] = []
        for chunk in chunks { splitter.feed(ArraySlice(Array(chunk.utf8))) { out.append($0) } }
        return out
    }

    func texts(_ inputs: [StdioTransport.Input]) -> [String] {
        inputs.map {
            switch $0 {
            case .message(let data): String(decoding: data, as: UTF8.self)
            case .oversized(let bytes): "<oversized \(bytes)>"
            }
        }
    }

    @Test func partialLinesAreAssembled() {
        #expect(texts(split(["{\"a\":", "1}\n{\"b\"", ":2}\n"])) == [#"{"a":1}"#, #"{"b":2}"#])
    }

    @Test func carriageReturnsAndBlankLinesAreDropped() {
        #expect(texts(split(["{}\r\n\n  \n{}\n"])) == ["{}", "{}"])
    }

    @Test func oversizedLinesAreReportedOnceAndTheNextLineSurvives() {
        let long = String(repeating: "x", count: 250)
        #expect(texts(split([long.prefix(120) + "", long.dropFirst(120) + "\n{}\n"], limit: 100)) == ["<oversized 250>", "{}"])
    }

    @Test func aMessageExactlyAtTheLimitPasses() {
        let exact = String(repeating: "y", count: 100)
        #expect(texts(split([exact + "\n"], limit: 100)) == [exact])
    }
}
