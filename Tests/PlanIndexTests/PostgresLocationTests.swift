import Foundation
import Testing
@testable import PlanIndex

/// Where a PostgreSQL location's password comes from: the URL, then `PGPASSWORD`, then the password file, read
/// as libpq reads it (no server needed).
@Suite struct PostgresLocationTests {
    func passwordFile(_ text: String, mode: Int = 0o600) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-pgpass-\(UUID().uuidString)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    @Test func theFirstMatchingLineOfThePasswordFileGivesThePassword() throws {
        let path = try passwordFile(#"""
            # comment
            db.example.org:5432:other:plankb:not-this
            db.example.org:5432:plan\:kb:plankb:escaped\:colon\\and-backslash
            db.example.org:*:plankb:plankb:s3cret:with:colons
            *:*:*:*:fallback

            """#)
        func password(_ url: String, _ environment: [String: String] = [:]) throws -> String? {
            try PostgresLocation(url, environment: ["PGPASSFILE": path].merging(environment) { $1 }).password
        }
        #expect(try password("postgres://plankb@db.example.org/plankb") == "s3cret:with:colons")
        #expect(try password("postgres://plankb@db.example.org:6543/plankb") == "s3cret:with:colons")
        #expect(try password("postgres://plankb@db.example.org/plan%3Akb") == "escaped:colon\\and-backslash")
        #expect(try password("postgres://someone@elsewhere.org/other") == "fallback")
        // The URL's password comes first, then PGPASSWORD.
        #expect(try password("postgres://plankb:given@db.example.org/plankb", ["PGPASSWORD": "env"]) == "given")
        #expect(try password("postgres://plankb@db.example.org/plankb", ["PGPASSWORD": "env"]) == "env")
    }

    @Test func aPasswordFileOthersMayReadIsIgnoredAsLibpqIgnoresIt() throws {
        let path = try passwordFile("*:*:*:*:open-to-all\n", mode: 0o644)
        #expect(try PostgresLocation("postgres://plankb@db.example.org/plankb", environment: ["PGPASSFILE": path]).password == nil)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let file = try passwordFile("*:*:*:*:from-home\n")
        try FileManager.default.moveItem(atPath: file, toPath: home.appendingPathComponent(".pgpass").path)
        #expect(try PostgresLocation("postgres://plankb@db.example.org/plankb", environment: ["HOME": home.path]).password == "from-home")
    }
}
