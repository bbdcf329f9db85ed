//! Output for encoding: a caller's slice, or (with `alloc`) a `Vec<u8>`.
//!
//! Encoders compute the exact length first and check the room; a `Sink` then only copies.
//! Fixed-size fields go through [`Sink::put_array`], whose length the compiler knows: they
//! become plain stores instead of calls to `memcpy`.

/// Where encoded bytes go. Public only so the sealed `ListItem` trait can name it; the
/// module is private.
pub trait Sink {
    fn put(&mut self, bytes: &[u8]);

    /// A field of fixed size.
    #[inline]
    fn put_array<const N: usize>(&mut self, bytes: [u8; N]) {
        self.put(&bytes);
    }

    #[inline]
    fn put_u8(&mut self, byte: u8) {
        self.put_array([byte]);
    }

    #[inline]
    fn put_u16(&mut self, value: u16) {
        self.put_array(value.to_be_bytes());
    }

    /// A field with a two-byte length prefix. Constructors have checked the length fits.
    #[inline]
    fn put_prefixed(&mut self, bytes: &[u8]) {
        self.put_u16(bytes.len() as u16);
        self.put(bytes);
    }

    /// The fixed header: the first byte and the minimal Remaining Length (section 2.2.3:
    /// seven bits a byte, least significant first, the high bit set on all but the last).
    /// `remaining` is at most `MAX_REMAINING_LENGTH`, which every constructor checks.
    // Always inlined: the compiler would otherwise keep it out of line for its four arms,
    // and the call costs more than the arm that runs.
    #[inline(always)]
    fn put_header(&mut self, first_byte: u8, remaining: usize) {
        // One fixed-size store per length, rather than a loop and a copy of variable size.
        let byte =
            |shift: u32, more: bool| ((remaining >> shift) as u8 & 0x7F) | (u8::from(more) << 7);
        match crate::header::remaining_length_len(remaining) {
            1 => self.put_array([first_byte, remaining as u8]),
            2 => self.put_array([first_byte, byte(0, true), byte(7, false)]),
            3 => self.put_array([first_byte, byte(0, true), byte(7, true), byte(14, false)]),
            _ => self.put_array([
                first_byte,
                byte(0, true),
                byte(7, true),
                byte(14, true),
                byte(21, false),
            ]),
        }
    }
}

/// A caller's buffer, already checked to hold the whole packet: the part still to fill.
pub(crate) struct SliceSink<'a> {
    rest: &'a mut [u8],
}

impl<'a> SliceSink<'a> {
    #[inline]
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        SliceSink { rest: buf }
    }

    /// The number of bytes not written yet.
    #[inline]
    #[cfg(test)]
    pub(crate) fn left(&self) -> usize {
        self.rest.len()
    }

    /// The next `n` bytes, to be filled by the caller.
    #[inline]
    fn take(&mut self, n: usize) -> &'a mut [u8] {
        // The caller checked `encoded_len()` bytes of room, and `encoded_len()` is exact
        // (the property tests and the fuzz targets check it for every packet).
        let (head, tail) = core::mem::take(&mut self.rest).split_at_mut(n);
        self.rest = tail;
        head
    }
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        copy(self.take(bytes.len()), bytes);
    }

    #[inline]
    fn put_array<const N: usize>(&mut self, bytes: [u8; N]) {
        self.take(N).copy_from_slice(&bytes);
    }
}

/// `dst.copy_from_slice(src)`, with the short fields most packets carry (topics, client
/// ids, small payloads) copied as two overlapping loads and stores of fixed size instead of
/// a call to `memcpy`, which costs more than the copy itself at these sizes.
#[inline(always)]
fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n > 32 {
        dst.copy_from_slice(src);
    } else if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else {
        dst.copy_from_slice(src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_sink_copies_fields_of_every_short_length_exactly() {
        // Each length on both sides of the overlapping-copy boundaries, after an offset
        // so the destination is not aligned, with the bytes around it left alone.
        for n in 0..=70usize {
            let src: std::vec::Vec<u8> = (0..n).map(|i| i as u8 ^ 0x5A).collect();
            let mut buf = [0xEEu8; 80];
            let mut sink = SliceSink::new(&mut buf[3..3 + 2 + n]);
            sink.put_u16(n as u16);
            sink.put(&src);
            assert_eq!(sink.left(), 0);
            assert_eq!(buf[..3], [0xEE; 3]);
            assert_eq!(buf[3..5], (n as u16).to_be_bytes());
            assert_eq!(buf[5..5 + n], src[..], "length {n}");
            assert!(buf[5 + n..].iter().all(|&b| b == 0xEE));
        }
    }
}
