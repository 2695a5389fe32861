//! A PDF's text layer, through `pdf-extract` (pure Rust: no poppler to ship). A damaged PDF can
//! make the parser panic; that is caught and said as a damaged file, not a crash.

use pdf_extract::{Document, Error as PdfError};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a PDF gave no text, before the file's name is known to the caller.
pub(crate) enum PdfProblem {
    Encrypted,
    Malformed(String),
}

impl PdfProblem {
    pub(crate) fn named(self, name: &str) -> crate::AttachError {
        let name = name.to_string();
        match self {
            Self::Encrypted => crate::AttachError::Encrypted { name },
            Self::Malformed(detail) => crate::AttachError::Malformed { name, detail },
        }
    }
}

/// The PDF header may follow up to 1 KB of other bytes (the spec's allowance).
pub(crate) fn is_pdf(data: &[u8]) -> bool {
    data[..data.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// The text of every page, in order, and the page count.
pub(crate) fn text(data: &[u8]) -> Result<(String, u32), PdfProblem> {
    catch_unwind(AssertUnwindSafe(|| read(data)))
        .unwrap_or_else(|_| Err(PdfProblem::Malformed("its structure is damaged".into())))
}

fn read(data: &[u8]) -> Result<(String, u32), PdfProblem> {
    let mut doc = Document::load_mem(data).map_err(problem)?;
    // Protected only against editing (an owner password): opens with the empty user password.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfProblem::Encrypted);
    }
    // Page by page: the extractor runs the last line of a page into the first of the next.
    let numbers: Vec<u32> = doc.get_pages().into_keys().collect();
    let mut pages = Vec::with_capacity(numbers.len());
    for n in &numbers {
        let mut text = String::new();
        pdf_extract::output_doc_page(&doc, &mut pdf_extract::PlainTextOutput::new(&mut text), *n).map_err(
            |e| match e {
                pdf_extract::OutputError::PdfError(e) => problem(e),
                e => PdfProblem::Malformed(e.to_string()),
            },
        )?;
        pages.push(text);
    }
    Ok((pages.join("\n\n"), u32::try_from(numbers.len()).unwrap_or(u32::MAX)))
}

fn problem(e: PdfError) -> PdfProblem {
    match e {
        PdfError::Decryption(_) => PdfProblem::Encrypted,
        e => PdfProblem::Malformed(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use crate::{extract, AttachError, AttachmentKind};
    use anamnesis_testkit::pdf::{scanned_pdf, text_pdf};

    #[test]
    fn a_pdf_gives_the_text_of_every_page_in_order() {
        let pdf = text_pdf(&["Potassium 5.9 mmol/L (high)\nSodium 139 mmol/L", "eGFR 48 (low)"]);
        let a = extract("labs.pdf", &pdf).unwrap();
        assert_eq!((a.kind, a.pages, a.bytes), (AttachmentKind::Pdf, Some(2), pdf.len() as u64));
        let (k, s, e) = (a.text.find("Potassium 5.9"), a.text.find("Sodium 139"), a.text.find("eGFR 48"));
        assert!(k.is_some() && k < s && s < e, "{:?}", a.text);
        // Lines and pages stay apart: "(high)" does not run into the next value.
        assert!(a.text.contains("(high)\n") && a.text.contains("mmol/L\n\neGFR"), "{:?}", a.text);
    }

    #[test]
    fn scanned_damaged_and_truncated_pdfs_are_said_in_words() {
        assert!(matches!(extract("scan.pdf", &scanned_pdf()), Err(AttachError::Empty { scanned: true, .. })));
        assert!(matches!(extract("x.pdf", b"%PDF-1.7\nnot really"), Err(AttachError::Malformed { .. })));
        let whole = text_pdf(&["Hb 9.1 g/dL"]);
        for cut in [whole.len() / 3, whole.len() / 2, whole.len() - 20] {
            // Whatever a truncated download leaves, an error or the text: never a panic.
            match extract("cut.pdf", &whole[..cut]) {
                Ok(a) => assert!(a.text.contains("Hb")),
                Err(e) => assert!(matches!(e, AttachError::Malformed { .. } | AttachError::Empty { .. }), "{e}"),
            }
        }
    }
}
