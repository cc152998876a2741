// libFuzzer entry: the input is the Content.xml of page 1 of an otherwise fixed OFD package, so that
// mutations reach the XML parser, the glyph placement (TextCode X/Y, DeltaX/DeltaY with `g N v`, CTM,
// Boundary) and the line and paragraph layout rather than dying on a ZIP checksum. Built by `.ci/fuzz ofd`.
import Foundation
import PlanIngest
import ZIPFoundation

private let namespace = "http://www.ofdspec.org/2016"
private let fixedParts: [(String, Data)] = [
    ("OFD.xml", Data("<ofd:OFD xmlns:ofd=\"\(namespace)\"><ofd:DocBody><ofd:DocInfo><ofd:Title>t</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".utf8)),
    ("Doc_0/Document.xml", Data("<ofd:Document xmlns:ofd=\"\(namespace)\"><ofd:CommonData><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:TemplatePage ID=\"7\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/><ofd:Page ID=\"2\" BaseLoc=\"/Doc_0/Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>".utf8)),
    ("Doc_0/PublicRes.xml", Data("<ofd:Res xmlns:ofd=\"\(namespace)\"><ofd:Fonts><ofd:Font ID=\"1\" FontName=\"仿宋\"/><ofd:Font ID=\"2\" FontName=\"黑体\"/></ofd:Fonts></ofd:Res>".utf8)),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOFD(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let content = Data(bytes: bytes, count: count)
    guard let archive = try? Archive(data: Data(), accessMode: .create) else { return 0 }
    for (name, data) in fixedParts + [("Doc_0/Pages/Page_0/Content.xml", content)] {
        try? archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
    guard let package = archive.data else { return 0 }
    _ = try? DocumentLoader.load(data: package, source: "fuzz.ofd", pathExtension: "ofd", format: .ofd, stages: .treeOnly)
    return 0
}
