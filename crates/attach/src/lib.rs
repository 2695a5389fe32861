//! The text of a document the user attaches (lab results, a discharge letter, a medication list),
//! extracted here, never uploaded: plain text in UTF-8 or UTF-16, or a PDF's text layer. Anything
//! else — an image, a Word file, a scanned PDF with no text, a password-protected or damaged PDF,
//! a file over `MAX_BYTES` — gets its own error, in words, naming the file.

mod error;
mod pdf;
mod text;

pub use anamnesis_wire::{Attachment, AttachmentKind};
pub use error::AttachError;

use base64::Engine as _;

/// The largest file read: a long lab report as PDF is a few MB; more is rarely text.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// Attachments one message may carry.
pub const MAX_PER_MESSAGE: usize = 5;

/// The document `name` with the bytes `data`, as an attachment with its text.
pub fn extract(name: &str, data: &[u8]) -> Result<Attachment, AttachError> {
    let name = file_name(name);
    if data.len() > MAX_BYTES {
        return Err(AttachError::TooLarge { name, bytes: data.len() as u64 });
    }
    let (kind, raw, pages) = if pdf::is_pdf(data) {
        let (text, pages) = pdf::text(data).map_err(|e| e.named(&name))?;
        (AttachmentKind::Pdf, text, Some(pages))
    } else {
        (AttachmentKind::Text, text::decode(data).ok_or_else(|| AttachError::Unsupported { name: name.clone() })?, None)
    };
    let text = text::normalize(&raw);
    if text.is_empty() {
        return Err(AttachError::Empty { name, scanned: kind == AttachmentKind::Pdf });
    }
    Ok(Attachment { name, kind, text, bytes: data.len() as u64, pages })
}

/// `extract` for bytes sent as base64 (the window's file reader).
pub fn extract_base64(name: &str, data: &str) -> Result<Attachment, AttachError> {
    // A base64 text over the limit decodes to more than `MAX_BYTES`: refused before decoding.
    if data.len() / 4 * 3 > MAX_BYTES + 3 {
        return Err(AttachError::TooLarge { name: file_name(name), bytes: (data.len() / 4 * 3) as u64 });
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|e| AttachError::Malformed {
        name: file_name(name),
        detail: format!("its data did not arrive whole ({e})"),
    })?;
    extract(name, &bytes)
}

/// The last part of a path, without control characters or bidi overrides (which can make
/// "fdp.exe" read as "exe.pdf"), at most 120 characters: a name to show and to put in the prompt,
/// never a path on this computer.
fn file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let clean: String = last.chars().filter(|&c| !c.is_control() && !bidi(c)).take(120).collect();
    match clean.trim() {
        "" => "document".to_string(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(file_name("/home/a/labs.txt"), "labs.txt");
        assert_eq!(file_name("C:\\Users\\a\\letter.pdf"), "letter.pdf");
        assert_eq!(file_name("a\u{202e}b\n.txt"), "ab.txt");
        assert_eq!(file_name(""), "document");
        assert_eq!(file_name(&"x".repeat(500)).len(), 120);
    }

    #[test]
    fn text_files_keep_their_text_and_size() {
        let a = extract("meds.txt", "\u{feff}Metformin 500 mg\r\nRamipril 5 mg\r\n".as_bytes()).unwrap();
        assert_eq!(
            (a.kind, a.text.as_str(), a.bytes, a.pages),
            (AttachmentKind::Text, "Metformin 500 mg\nRamipril 5 mg", 36, None)
        );
        let b64 = base64::engine::general_purpose::STANDARD.encode("K 5.9 mmol/L");
        assert_eq!(extract_base64("k.csv", &b64).unwrap().text, "K 5.9 mmol/L");
    }

    #[test]
    fn other_files_are_refused_in_words() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(extract("x-ray.png", png), Err(AttachError::Unsupported { .. })));
        assert!(matches!(extract("blank.txt", b" \n\t\n"), Err(AttachError::Empty { scanned: false, .. })));
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(matches!(extract("huge.txt", &big), Err(AttachError::TooLarge { .. })));
        assert!(matches!(extract_base64("x.txt", "%%%"), Err(AttachError::Malformed { .. })));
        let e = extract("/secret/folder/x-ray.png", png).unwrap_err();
        assert!(e.to_string().contains("x-ray.png") && !e.to_string().contains("secret"), "{e}");
    }
}
