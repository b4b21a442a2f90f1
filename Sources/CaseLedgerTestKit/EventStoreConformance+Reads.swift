import CaseLedger
import Foundation

extension EventStoreConformance {
    static func readStreamBothWays(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("ticket-1")
        let neighbour = try stream("ticket-10")
        for i in 1...10 {
            _ = try await store.append([event("E", String(i))], to: s)
            _ = try await store.append([event("N", String(i))], to: neighbour)
        }
        func versions(_ from: UInt64?, _ d: ReadDirection, _ limit: Int) async throws -> [UInt64] {
            try await store.readStream(s, from: from, direction: d, limit: limit).map(\.streamVersion)
        }
        try Expect.equal(try await versions(nil, .forward, 100), Array(1...10), "whole stream forward")
        try Expect.equal(try await versions(4, .forward, 3), [4, 5, 6], "forward from 4, limit 3")
        try Expect.equal(try await versions(9, .forward, 5), [9, 10], "forward near the end")
        try Expect.equal(try await versions(11, .forward, 5), [], "forward past the end")
        try Expect.equal(try await versions(nil, .backward, 3), [10, 9, 8], "backward from the end, limit 3")
        try Expect.equal(try await versions(5, .backward, 100), [5, 4, 3, 2, 1], "backward from 5")
        try Expect.equal(try await versions(100, .backward, 2), [10, 9], "backward from past the end")
        try Expect.equal(try await versions(1, .backward, 5), [1], "backward from 1")
        let payloads = try await store.readStream(s, from: nil, direction: .forward, limit: 100).map { String(decoding: $0.payload, as: UTF8.self) }
        try Expect.equal(payloads, (1...10).map(String.init), "stream events in order, no neighbour's")
        let positions = try await store.readStream(s, from: nil, direction: .forward, limit: 100).map(\.position)
        try Expect.equal(positions, (0..<10).map { UInt64($0 * 2 + 1) }, "stream events keep their global positions")
        await store.close()
    }

    static func readAllFilters(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        // 30 events over 3 categories and 2 types.
        for i in 0..<30 {
            let category = ["ticket", "rating", "checkup"][i % 3]
            let type = i % 2 == 0 ? "Even" : "Odd"
            _ = try await store.append([event(type, String(i))], to: try stream("\(category)-\(i % 4)"))
        }
        let all = try await store.readAll(from: 1, filter: .all, limit: 1000)
        try Expect.equal(all.map(\.position), Array(1...30), "read-all returns every event in order")
        try Expect.equal(try await store.readAll(from: 11, filter: .all, limit: 5).map(\.position), Array(11...15), "from and limit")
        try Expect.equal(try await store.readAll(from: 31, filter: .all, limit: 5).count, 0, "from past the head")
        try Expect.equal(try await store.readAll(from: 0, filter: .all, limit: 2).map(\.position), [1, 2], "from 0 starts at 1")

        let tickets = try await store.readAll(from: 1, filter: EventFilter(categories: ["ticket"]), limit: 1000)
        try Expect.equal(tickets.map(\.position), stride(from: 1, through: 30, by: 3).map { UInt64($0) }, "one category")
        let two = try await store.readAll(from: 5, filter: EventFilter(categories: ["ticket", "checkup"]), limit: 4)
        try Expect.equal(two.map(\.position), [6, 7, 9, 10], "two categories, merged in position order, from 5, limit 4")
        let odd = try await store.readAll(from: 1, filter: EventFilter(eventTypes: ["Odd"]), limit: 3)
        try Expect.equal(odd.map(\.position), [2, 4, 6], "one type, limit 3")
        let both = try await store.readAll(from: 1, filter: EventFilter(categories: ["rating"], eventTypes: ["Even"]), limit: 100)
        try Expect.equal(both.map(\.position), [5, 11, 17, 23, 29], "category and type together")
        try Expect.equal(try await store.readAll(from: 1, filter: EventFilter(categories: ["nothing"]), limit: 10).count, 0, "unknown category")
        await store.close()
    }

    static func streamingPages(_ make: ConformanceCase.StoreFactory) async throws {
        let store = try await make(EventStoreOptions())
        let s = try stream("page-1")
        for chunk in 0..<5 {
            _ = try await store.append((0..<500).map { event("P", String(chunk * 500 + $0)) }, to: s)
        }
        var pages = 0
        var next: UInt64 = 1
        for try await page in store.allEvents(from: 1, pageSize: 100) {
            pages += 1
            try Expect.that(page.count <= 100, "a page holds at most the page size")
            for e in page {
                try Expect.equal(e.position, next, "pages continue without gap")
                next += 1
            }
        }
        try Expect.equal(pages, 25, "2,500 events in pages of 100")
        try Expect.equal(next, 2_501, "every event seen once")
        var backward: [UInt64] = []
        for try await page in store.streamEvents(s, direction: .backward, pageSize: 300) {
            backward.append(contentsOf: page.map(\.streamVersion))
        }
        try Expect.equal(backward, Array((1...2_500).reversed()), "a stream read backward in pages")
        var filtered = 0
        for try await page in store.allEvents(from: 2_001, filter: EventFilter(categories: ["page"]), pageSize: 64) {
            filtered += page.count
        }
        try Expect.equal(filtered, 500, "filtered pages from a position")
        await store.close()
    }
}
