import Foundation

/// The directory of an OLE2 compound file (Microsoft's Compound File Binary format: Word 97–2003 `.doc`,
/// WPS `.wps`, and the envelope of a password-protected DOCX): the names of its streams, and the first bytes
/// of one, enough to tell a Word document from an encrypted package or a spreadsheet before converting.
///
/// Only the header, the FAT and the directory chain are read; every sector number is checked against the
/// file, and chains are cut at the number of sectors the file has, so a damaged file cannot loop.
struct OLE2Directory {
    static let magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    struct Entry {
        var name: String
        /// 1 storage, 2 stream, 5 root.
        var type: UInt8
        var startSector: UInt32
        var size: UInt64
    }

    let entries: [Entry]
    private let data: [UInt8]
    private let sectorSize: Int

    /// Reads the directory; nil when the file is not a readable compound file.
    init?(_ bytes: Data) {
        let data = [UInt8](bytes)
        guard data.count >= 512, data.starts(with: Self.magic) else { return nil }
        func u16(_ offset: Int) -> Int { offset + 2 <= data.count ? Int(data[offset]) | Int(data[offset + 1]) << 8 : 0 }
        func u32(_ offset: Int) -> UInt32 {
            guard offset + 4 <= data.count else { return 0xFFFF_FFFF }
            return UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16 | UInt32(data[offset + 3]) << 24
        }
        let shift = u16(0x1E)
        guard shift == 9 || shift == 12 else { return nil }
        let sectorSize = 1 << shift
        let sectorCount = (data.count - sectorSize) / sectorSize + 1
        func offset(of sector: UInt32) -> Int? {
            let offset = (Int(sector) + 1) * sectorSize
            return sector < 0xFFFF_FFFA && offset + sectorSize <= data.count ? offset : nil
        }
        // The FAT's sectors: 109 listed in the header, more in the DIFAT chain.
        var fatSectors: [UInt32] = (0..<109).map { u32(0x4C + $0 * 4) }.filter { $0 < 0xFFFF_FFFA }
        var difat = u32(0x44)
        var hops = 0
        while difat < 0xFFFF_FFFA, let start = offset(of: difat), hops < sectorCount {
            let perSector = sectorSize / 4 - 1
            fatSectors += (0..<perSector).map { u32(start + $0 * 4) }.filter { $0 < 0xFFFF_FFFA }
            difat = u32(start + perSector * 4)
            hops += 1
        }
        var fat: [UInt32] = []
        for sector in fatSectors {
            guard let start = offset(of: sector) else { continue }
            fat += (0..<(sectorSize / 4)).map { u32(start + $0 * 4) }
        }
        // The directory: 128-byte entries along its chain.
        var entries: [Entry] = []
        var sector = u32(0x30)
        hops = 0
        while sector < 0xFFFF_FFFA, let start = offset(of: sector), hops < sectorCount {
            for index in 0..<(sectorSize / 128) {
                let base = start + index * 128
                let nameLength = min(64, u16(base + 64))
                let type = data[base + 66]
                guard type != 0, nameLength >= 2 else { continue }
                var units: [UInt16] = []
                for position in stride(from: 0, to: nameLength - 2, by: 2) { units.append(UInt16(u16(base + position))) }
                let size = shift == 9 ? UInt64(u32(base + 120)) : UInt64(u32(base + 120)) | UInt64(u32(base + 124)) << 32
                entries.append(Entry(name: String(decoding: units, as: UTF16.self), type: type,
                                     startSector: u32(base + 116), size: size))
            }
            sector = Int(sector) < fat.count ? fat[Int(sector)] : 0xFFFF_FFFE
            hops += 1
        }
        guard !entries.isEmpty else { return nil }
        self.entries = entries
        self.data = data
        self.sectorSize = sectorSize
    }

    func contains(_ name: String) -> Bool { entries.contains { $0.type == 2 && $0.name == name } }

    /// The first bytes of a stream that lives in regular sectors (4,096 bytes or more, as `WordDocument`
    /// always does); nil for small streams or a bad sector number.
    func prefix(ofStream name: String, count: Int) -> [UInt8]? {
        guard let entry = entries.first(where: { $0.type == 2 && $0.name == name }), entry.size >= 4096,
              entry.startSector < 0xFFFF_FFFA else { return nil }
        let start = (Int(entry.startSector) + 1) * sectorSize
        guard count <= sectorSize, start + count <= data.count else { return nil }
        return Array(data[start..<(start + count)])
    }

    /// Whether a Word binary document says it is encrypted: the FIB's `fEncrypted` bit (offset 0x0A, bit 8).
    var wordDocumentIsEncrypted: Bool {
        guard let fib = prefix(ofStream: "WordDocument", count: 12) else { return false }
        return (UInt16(fib[0x0A]) | UInt16(fib[0x0B]) << 8) & 0x0100 != 0
    }
}
