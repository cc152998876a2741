// libFuzzer entry for the shared reader support: the input as a whole file through `DocumentLoader` (content
// sniffing, ZipPackage with its bomb limits and central-directory checks, every reader registered), and as
// one XML part through `XMLTree`. Built by `.ci/fuzz zipxml`; seeded with the corpus's OFD files.
import Foundation
import PlanIngest

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZipXML(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let options = ReaderOptions(converterTimeout: 5, maxExpandedBytes: 8 << 20)
    _ = try? DocumentLoader.load(data: data, source: "fuzz", pathExtension: "", stages: .treeOnly, options: options)
    if let package = try? ZipPackage(data: data, source: "fuzz", maxExpandedBytes: 8 << 20) {
        for part in package.partNames.prefix(32) {
            if let bytes = try? package.read(part) { _ = try? XMLTree.parse(bytes, source: "fuzz", part: part) }
        }
    }
    _ = try? XMLTree.parse(data, source: "fuzz", part: "part.xml")
    return 0
}
