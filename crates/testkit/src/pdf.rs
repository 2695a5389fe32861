//! Small real PDFs for the attachment tests: text pages in the standard Helvetica font, a
//! "scanned" page (a drawing, no text), each with a correct cross-reference table.

/// One page per string, its lines (split at `\n`) set in 12-point Helvetica.
pub fn text_pdf(pages: &[&str]) -> Vec<u8> {
    let contents: Vec<String> = pages
        .iter()
        .map(|p| {
            let lines: Vec<String> = p.lines().map(|l| format!("({}) Tj T*", escape(l))).collect();
            format!("BT /F1 12 Tf 14 TL 72 720 Td {} ET", lines.join(" "))
        })
        .collect();
    build(&contents)
}

/// A page with only a filled rectangle: what a scan looks like to a text extractor.
pub fn scanned_pdf() -> Vec<u8> {
    build(&["0.5 g 72 72 400 600 re f".to_string()])
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")
}

fn build(contents: &[String]) -> Vec<u8> {
    let n = contents.len();
    // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    for (i, c) in contents.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}
