import Foundation
import Hummingbird
import PlanIndex
import PlanWeb
import Testing

/// End to end: the server on a free loopback port, driven by headless Chromium — search, open a hit, open a
/// comparison, and screenshots that must not be blank. Skipped (with the reason) where there is no Chromium.
@Suite(.serialized) struct BrowserTests {
    @Test(.enabled(if: Chromium.executable != nil, "no chromium binary found (install Debian's chromium package)"))
    func searchOpenAHitAndCompareInChromium() async throws {
        let chromium = try #require(Chromium.executable)
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let server = try await WebFixtures.serve(knowledgeBase)
        defer { server.task.cancel() }
        let base = server.base
        let browser = Chromium(executable: chromium)

        // Search.
        let searchURL = base + WebFixtures.uri("/search", [("q", "跨境电商")])
        let searchDOM = try browser.dumpDOM(searchURL)
        #expect(searchDOM.contains("<mark>跨境电商</mark>"))
        let hitLink = try #require(WebFixtures.captures("class=\"doc\" href=\"([^\"]+)\"", in: searchDOM).first)
        let anchor = try #require(hitLink.split(separator: "#").last.map(String.init))

        // Open the first hit: the browser lands on the document, whose element with the hit's id exists.
        let documentDOM = try browser.dumpDOM(base + hitLink)
        #expect(documentDOM.contains("id=\"\(anchor)\""))
        #expect(documentDOM.contains("<nav class=\"toc\">"))

        // Open a comparison.
        let compareURL = base + WebFixtures.uri("/compare", [("old", WebFixtures.company2018), ("new", WebFixtures.company2023)])
        let compareDOM = try browser.dumpDOM(compareURL)
        #expect(compareDOM.contains("修订对照表"))
        #expect(compareDOM.contains("<del>") && compareDOM.contains("<ins>"))

        // The statistics page: its charts are drawn (bars, the term trend's line) in the browser's DOM.
        let statisticsURL = base + WebFixtures.uri("/statistics", [("terms", "跨境电商 营商环境")])
        let statisticsDOM = try browser.dumpDOM(statisticsURL)
        for chart in ["instruments-year", "instruments-doc", "terms-year", "terms-doc"] {
            #expect(statisticsDOM.contains("<svg id=\"chart-\(chart)\""), "\(chart)")
        }
        #expect(statisticsDOM.contains("<rect class=\"bar\"") && statisticsDOM.contains("<polyline class=\"line\""))

        // Screenshots: each must be a 1200×900 PNG carrying far more than an empty page does.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-web-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blank = try PNGSummary(data: try browser.screenshot("data:text/html,<html><body></body></html>",
                                                                to: folder.appendingPathComponent("blank.png")))
        // The document without its fragment: headless Chromium's --screenshot paints a page scrolled to a
        // fragment as blank (checked with a plain static page too), so the anchor is checked in the DOM above.
        let documentURL = base + String(hitLink.split(separator: "#")[0])
        for (name, url) in [("search", searchURL), ("document", documentURL), ("compare", compareURL), ("statistics", statisticsURL)] {
            let file = folder.appendingPathComponent("\(name).png")
            let png = try PNGSummary(data: try browser.screenshot(url, to: file))
            print("screenshot \(name): \(file.path), \(png.fileSize) bytes, \(png.distinctIDATBytes) distinct IDAT bytes (blank page: \(blank.fileSize) bytes)")
            #expect(png.width == 1200 && png.height == 900)
            #expect(png.fileSize > 4 * blank.fileSize, "\(name) screenshot looks blank")
            #expect(png.distinctIDATBytes > 200, "\(name) screenshot has too little variety to be a rendered page")
        }
    }
}

/// Headless Chromium run as a command (no driver): `--dump-dom` prints the DOM after load, `--screenshot`
/// writes a PNG. `--no-sandbox` because CI runs as root.
struct Chromium {
    var executable: String

    static let executable: String? = {
        let names = ["chromium", "chromium-browser", "google-chrome", "chrome"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/snap/bin"] {
            for name in names {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    func dumpDOM(_ url: String) throws -> String {
        String(decoding: try run(["--dump-dom", url]), as: UTF8.self)
    }

    func screenshot(_ url: String, to file: URL) throws -> Data {
        try? FileManager.default.removeItem(at: file)
        _ = try run(["--screenshot=\(file.path)", "--window-size=1200,900", "--hide-scrollbars", url])
        return try Data(contentsOf: file)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private func run(_ arguments: [String]) throws -> Data {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--disable-extensions", "--user-data-dir=\(profile.path)"] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Chromium can hang on a broken setup; a minute is far more than a local page needs.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited with \(process.terminationStatus): "
                          + String(decoding: errorData.get().suffix(2000), as: UTF8.self))
        }
        return data
    }
}

/// Bytes handed from a reader thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}

/// What the test needs of a PNG: its size from IHDR, and how varied its compressed image data is.
struct PNGSummary {
    var width: Int
    var height: Int
    var fileSize: Int
    var distinctIDATBytes: Int

    struct Invalid: Error {}

    init(data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.prefix(8) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Invalid() }
        func integer(at offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        guard String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR" else { throw Invalid() }
        width = integer(at: 16)
        height = integer(at: 20)
        fileSize = bytes.count
        var seen = Set<UInt8>()
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = integer(at: offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            let start = offset + 8, end = min(bytes.count, start + length)
            if type == "IDAT" { seen.formUnion(bytes[start..<end]) }
            offset = start + length + 4
        }
        distinctIDATBytes = seen.count
    }
}
