//! Zip archives built byte by byte, as an attacker builds them: a part may declare any size,
//! and a deflate stream may repeat a few bytes into gigabytes.

/// One part (file) of an archive.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    data: Vec<u8>,
    pub crc: u32,
    /// The uncompressed size the archive declares.
    size: u64,
}

impl Part {
    /// A part stored as it is, with its true size and checksum.
    pub fn stored(name: &str, data: impl AsRef<[u8]>) -> Part {
        let data = data.as_ref().to_vec();
        Part {
            name: name.to_owned(),
            method: 0,
            crc: crc32(&data),
            size: data.len() as u64,
            data,
        }
    }

    /// A part of deflate `data` declared `size` bytes long. Its checksum is left 0: these parts
    /// are too big to be read to their end.
    pub fn deflated(name: &str, data: Vec<u8>, size: u64) -> Part {
        Part {
            name: name.to_owned(),
            method: 8,
            data,
            crc: 0,
            size,
        }
    }
}

/// The archive of `parts`, in their order.
pub fn zip(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for part in parts {
        let offset = out.len() as u32;
        let size = u32::try_from(part.size).expect("no zip64 here");
        let name = part.name.as_bytes();
        let header = |out: &mut Vec<u8>| {
            put16(out, 20); // version needed
            put16(out, 0); // flags
            put16(out, part.method);
            put16(out, 0); // time
            put16(out, 33); // date: 1980-01-01
            put32(out, part.crc);
            put32(out, part.data.len() as u32);
            put32(out, size);
            put16(out, name.len() as u16);
            put16(out, 0); // extra field
        };
        put32(&mut out, 0x0403_4b50);
        header(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&part.data);

        put32(&mut central, 0x0201_4b50);
        put16(&mut central, 20); // version made by
        header(&mut central);
        put16(&mut central, 0); // comment
        put16(&mut central, 0); // disk
        put16(&mut central, 0); // internal attributes
        put32(&mut central, 0); // external attributes
        put32(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, parts.len() as u16);
    put16(&mut out, parts.len() as u16);
    put32(&mut out, central.len() as u32);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    out
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// CRC-32 (zip's, reflected 0xEDB88320), bit by bit: the parts checked are small.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A deflate stream (one block of fixed Huffman codes) of `prefix`, `unit` repeated `count`
/// times, and `suffix`, and its size. The repeats are copies of 258 bytes from `unit.len()`
/// bytes back: two bytes of stream for 258 of text.
pub fn deflated_repeats(prefix: &[u8], unit: &[u8], count: u64, suffix: &[u8]) -> (Vec<u8>, u64) {
    assert!(!unit.is_empty() && unit.len() <= 32_768 && count >= 1);
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    for &b in prefix.iter().chain(unit) {
        bits.literal(b);
    }
    let copied = (count - 1) * unit.len() as u64;
    for _ in 0..copied / 258 {
        bits.copy_258(unit.len());
    }
    let done = copied - copied % 258;
    for i in 0..copied % 258 {
        bits.literal(unit[((done + i) % unit.len() as u64) as usize]);
    }
    for &b in suffix {
        bits.literal(b);
    }
    bits.code(0, 7); // end of block
    let size = prefix.len() as u64 + count * unit.len() as u64 + suffix.len() as u64;
    (bits.finish(), size)
}

/// Bits written least significant first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: its bits go most significant first.
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    fn literal(&mut self, b: u8) {
        match b {
            0..=143 => self.code(0x30 + u32::from(b), 8),
            _ => self.code(0x190 + u32::from(b) - 144, 9),
        }
    }

    /// Length 258 (symbol 285), then the distance's code and extra bits.
    fn copy_258(&mut self, distance: usize) {
        self.code(0xC5, 8);
        let d = distance as u32 - 1;
        if d < 4 {
            self.code(d, 5);
            return;
        }
        let extra = 31 - d.leading_zeros() - 1;
        let code = 2 * extra + 2 + ((d >> extra) & 1);
        self.code(code, 5);
        self.put(d & ((1 << extra) - 1), extra);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}
