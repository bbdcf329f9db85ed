//! Output for encoding: a caller's slice, or (with `alloc`) a `Vec<u8>`.
//!
//! Encoders compute the exact length first and check the room; a `Sink` then only copies.

/// Where encoded bytes go. Public only so the sealed `ListItem` trait can name it; the
/// module is private.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);

    fn put_u8(&mut self, byte: u8) {
        self.put(&[byte]);
    }

    fn put_u16(&mut self, value: u16) {
        self.put(&value.to_be_bytes());
    }

    /// A field with a two-byte length prefix. Constructors have checked the length fits.
    fn put_prefixed(&mut self, bytes: &[u8]) {
        self.put_u16(bytes.len() as u16);
        self.put(bytes);
    }

    /// The fixed header: the first byte and the minimal Remaining Length.
    fn put_header(&mut self, first_byte: u8, remaining: usize) {
        let (len_bytes, len) = crate::header::encode_remaining_length(remaining);
        self.put_u8(first_byte);
        self.put(&len_bytes[..len]);
    }
}

/// A caller's buffer, already checked to hold the whole packet.
pub(crate) struct SliceSink<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> SliceSink<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        SliceSink { buf, pos: 0 }
    }

    pub(crate) fn written(&self) -> usize {
        self.pos
    }
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.pos + bytes.len();
        // The caller checked `encoded_len()` bytes of room, and `encoded_len()` is exact
        // (the property tests and the fuzz targets check it for every packet).
        self.buf[self.pos..end].copy_from_slice(bytes);
        self.pos = end;
    }
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}
