import Foundation
import Testing

@testable import FathomMCP

@Suite struct EventStreamTests {
    func data(_ text: String) -> Data { Data(text.utf8) }

    func drain(_ reader: inout EventStream.Reader) async -> [String] {
        var seen: [String] = []
        while case .event(let event)? = await reader.next() {
            seen.append(String(decoding: event.data, as: UTF8.self))
        }
        return seen
    }

    @Test func readerGetsEverythingInOrderThenEnds() async throws {
        let stream = EventStream(number: 3)
        stream.append(data("a"))
        var reader = try #require(stream.attach(after: nil))
        stream.append(data("b"))
        stream.finish()
        stream.append(data("ignored after finish"))
        #expect(await drain(&reader) == ["a", "b"])
    }

    @Test func readerWaitsForMessagesAppendedLater() async throws {
        let stream = EventStream(number: 0)
        var reader = try #require(stream.attach(after: nil))
        async let seen = drain(&reader)
        for index in 0..<100 { stream.append(data("\(index)")) }
        stream.finish()
        #expect(await seen == (0..<100).map(String.init))
    }

    @Test func resumeAfterASequenceReplaysOnlyWhatFollows() async throws {
        let stream = EventStream(number: 1)
        for text in ["a", "b", "c", "d"] { stream.append(data(text)) }
        stream.finish()
        var resumed = try #require(stream.attach(after: 2))
        #expect(await drain(&resumed) == ["c", "d"])
    }

    @Test func newReaderSupersedesTheOldOne() async throws {
        let stream = EventStream(number: 0)
        var first = try #require(stream.attach(after: nil))
        stream.append(data("a"))
        guard case .event(let event)? = await first.next() else { Issue.record("no event"); return }
        #expect(event.sequence == 1)
        first.delivered()
        var second = try #require(stream.attach(after: nil))
        #expect(await first.next() == nil, "the superseded reader ends")
        stream.append(data("b"))
        stream.finish()
        #expect(await drain(&second) == ["b"], "a fresh reader starts after what was delivered")
    }

    @Test func boundedBufferRefusesAResumeFromLostMessages() throws {
        let stream = EventStream(number: 0, maxEvents: 3, maxBytes: 1 << 20)
        for index in 1...10 { stream.append(data("\(index)")) }
        #expect(stream.oldestSequence == 8)
        #expect(stream.attach(after: 5) == nil, "messages 6 and 7 are gone; resuming would skip them silently")
        #expect(stream.attach(after: 7) != nil)
    }

    @Test func byteBoundKeepsAtLeastTheNewestMessage() {
        let stream = EventStream(number: 0, maxEvents: 100, maxBytes: 10)
        stream.append(Data(repeating: 0x61, count: 8))
        stream.append(Data(repeating: 0x62, count: 8))
        #expect(stream.oldestSequence == 2)
        stream.append(Data(repeating: 0x63, count: 50))
        #expect(stream.oldestSequence == 3 && stream.lastSequence == 3)
    }

    @Test func heartbeatWhenIdleAndInterruptKeepsMessages() async throws {
        let stream = EventStream(number: 0)
        var reader = try #require(stream.attach(after: nil))
        guard case .idle? = await reader.next(heartbeat: .milliseconds(20)) else {
            Issue.record("expected an idle heartbeat")
            return
        }
        stream.append(data("kept"))
        stream.interrupt()
        #expect(await reader.next() == nil)
        var again = try #require(stream.attach(after: 0))
        stream.finish()
        #expect(await drain(&again) == ["kept"])
    }

    @Test func cancellingTheReaderEndsItsWait() async throws {
        let stream = EventStream(number: 0)
        let task = Task {
            var reader = stream.attach(after: nil)!
            return await reader.next()
        }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
    }
}

extension EventStream.Reader.Next: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case (.idle, .idle): true
        case (.event(let x), .event(let y)): x.sequence == y.sequence && x.data == y.data
        default: false
        }
    }
}

extension EventStream.Reader: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.stream === b.stream }
}

@Suite struct EventStreamHostileResumeTests {
    @Test func resumePointsBeyondWhatWasSentAreRefusedWithoutOverflow() {
        let stream = EventStream(number: 0)
        stream.append(Data("a".utf8))
        #expect(stream.attach(after: Int.max) == nil)
        #expect(stream.attach(after: 2) == nil, "sequence 2 was never sent")
        #expect(stream.attach(after: -1) == nil)
        #expect(stream.attach(after: 1) != nil)
        #expect(stream.attach(after: 0) != nil)
    }
}
