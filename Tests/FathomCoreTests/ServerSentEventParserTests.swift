import Testing

import FathomCore

struct ServerSentEventParserTests {
    @Test func eventsSpanChunksAndLineEndings() throws {
        var parser = ServerSentEventParser()
        var events: [String] = []
        // An event split mid-field, CRLF and CR endings, a comment, an `event:` field and a multi-line data.
        for chunk in ["da", "ta: {\"a\":1}\r", "\n\r\n: keep-alive\n", "event: x\ndata:first\ndata: second\r\rdata: [DONE]\n\n"] {
            events += try parser.feed(Array(chunk.utf8))
        }
        #expect(events == ["{\"a\":1}", "first\nsecond", "[DONE]"])
    }

    @Test func aFieldMerelyStartingWithDataIsIgnored() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("datax: no\ndata\n\n".utf8)) == [""])
    }

    @Test func theLastEventIsKeptWithoutItsBlankLine() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == "tail")
        #expect(parser.finish() == nil)
    }

    @Test func anEndlessLineIsAnError() {
        var parser = ServerSentEventParser()
        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: ServerSentEventParser.maxLineBytes + 1)
        #expect(throws: ServerSentEventParser.LineTooLong.self) { try parser.feed(huge) }
    }

    @Test func multiByteCharactersSplitAcrossChunksSurvive() throws {
        var parser = ServerSentEventParser()
        let bytes = Array("data: héllo ✓\n\n".utf8)
        var events: [String] = []
        for byte in bytes { events += try parser.feed([byte]) }
        #expect(events == ["héllo ✓"])
    }
}
