//! The bytes of a file being read: in memory, or mapped from the file.

use std::fs::File;
use std::io;
use std::ops::Deref;
use std::sync::Arc;

/// A file's content, kept for as long as its rows may be asked for again.
#[derive(Clone)]
pub(crate) enum Text {
    Owned(Vec<u8>),
    /// Mapped read-only: the kernel's cached pages of the file, neither copied nor zeroed first.
    /// Reading a million-case file into fresh memory cost a quarter of a second of the kernel
    /// zeroing that memory (and as much again copying into it) before the first row was read.
    Mapped(Arc<memmap2::Mmap>),
}

impl Deref for Text {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Text::Owned(bytes) => bytes,
            Text::Mapped(map) => map,
        }
    }
}

/// From this size on a file is mapped rather than read.
const MAP_FROM: u64 = 1 << 20;

impl Text {
    /// The content of `file`, `len` bytes long.
    pub(crate) fn of_file(mut file: File, len: u64) -> io::Result<Text> {
        if len >= MAP_FROM
            && let Some(map) = map(&file)
        {
            return Ok(Text::Mapped(Arc::new(map)));
        }
        let mut bytes = Vec::with_capacity(len as usize + 1);
        io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok(Text::Owned(bytes))
    }
}

/// Map `file` read-only, if the system allows it (else the caller reads it).
///
/// The one `unsafe` of this crate. Rust requires that the bytes behind a `&[u8]` do not change,
/// and a mapping shows whatever another program writes into the file meanwhile; a file truncated
/// meanwhile even makes reading the lost part fault. An export being imported is not written to
/// (docs/import.md says so), as for any program that maps its input (ripgrep, DuckDB, SQLite with
/// `mmap_size`). Files on network shares are read, not mapped: a share that goes away under a
/// mapping would kill the import instead of failing it with a message.
#[allow(unsafe_code)]
fn map(file: &File) -> Option<memmap2::Mmap> {
    if !is_local(file) {
        return None;
    }
    // SAFETY: see above; the mapping is read-only and lives as long as the `Text`.
    let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
    // One pass from the start to the end: the kernel may read ahead.
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// Whether `file` is on a local disk (not NFS, SMB/CIFS or another network file system).
#[cfg(target_os = "linux")]
fn is_local(file: &File) -> bool {
    // Magic numbers of statfs(2)'s f_type.
    const NETWORK: [u64; 7] = [
        0x6969,      // NFS
        0xFF53_4D42, // CIFS
        0xFE53_4D42, // SMB2
        0x517B,      // SMB
        0x0102_1997, // 9P (v9fs)
        0x6573_5546, // FUSE (sshfs and the like)
        0x0BD0_0BD0, // Lustre
    ];
    rustix::fs::fstatfs(file).is_ok_and(|stat| !NETWORK.contains(&(stat.f_type as u64)))
}

/// Elsewhere only Linux's check is known: read.
#[cfg(not(target_os = "linux"))]
fn is_local(_file: &File) -> bool {
    false
}
