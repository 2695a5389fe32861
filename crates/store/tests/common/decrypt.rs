//! Decrypts a history's pages the way SQLCipher 4 lays them out, so tests can look for text in
//! what is on disk under the encryption (deleted text must be gone even for someone with the
//! key), not only in the encrypted bytes.
//!
//! SQLCipher 4 defaults with a raw key: 4096-byte pages, each ending in 80 reserved bytes (a
//! 16-byte IV, then a 64-byte HMAC); AES-256-CBC with the raw key itself over the rest, except
//! page 1's first 16 bytes, which hold the salt.

use std::fs;
use std::path::Path;

use aes::cipher::{Array, BlockCipherDecrypt, KeyInit};
use aes::Aes256;

const PAGE: usize = 4096;
const RESERVE: usize = 80;
const WAL_HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

fn decrypt_page(cipher: &Aes256, pgno: u32, page: &[u8]) -> Vec<u8> {
    let start = if pgno == 1 { 16 } else { 0 };
    let end = PAGE - RESERVE;
    let mut prev: [u8; 16] = page[end..end + 16].try_into().unwrap();
    let mut out = page[..start].to_vec();
    for chunk in page[start..end].chunks_exact(16) {
        let mut block = Array::from(<[u8; 16]>::try_from(chunk).unwrap());
        cipher.decrypt_block(&mut block);
        out.extend(block.iter().zip(prev).map(|(b, p)| b ^ p));
        prev = chunk.try_into().unwrap();
    }
    out
}

/// The decrypted pages of the database file, then of every frame in its WAL (if any).
pub fn decrypted_bytes(db: &Path, key: &[u8; 32]) -> Vec<u8> {
    let cipher = Aes256::new(&Array::from(*key));
    let mut out = Vec::new();
    let file = fs::read(db).unwrap_or_default();
    assert_eq!(file.len() % PAGE, 0, "the file is not whole 4096-byte pages");
    for (i, page) in file.chunks_exact(PAGE).enumerate() {
        out.extend(decrypt_page(&cipher, i as u32 + 1, page));
    }
    let mut wal_path = db.as_os_str().to_owned();
    wal_path.push("-wal");
    let wal = fs::read(wal_path).unwrap_or_default();
    if wal.len() > WAL_HEADER {
        for frame in wal[WAL_HEADER..].chunks_exact(FRAME_HEADER + PAGE) {
            let pgno = u32::from_be_bytes(frame[..4].try_into().unwrap());
            out.extend(decrypt_page(&cipher, pgno, &frame[FRAME_HEADER..]));
        }
    }
    out
}
