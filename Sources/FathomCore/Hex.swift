/// Lower-case hex: for ids people copy (sessions, cursors, trace and span ids) and bytes shown as text.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `bytes` from the system's cryptographic generator (getrandom on Linux), as `2 * bytes` hex digits.
    public static func random(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
