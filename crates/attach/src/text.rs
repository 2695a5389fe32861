//! Plain text: decoding (UTF-8, or UTF-16 with its byte-order mark) and the clean-up every
//! extracted text gets before the model reads it.

/// The text of `data`, or `None` when it is not text (invalid UTF-8, or NUL bytes: a binary file).
pub(crate) fn decode(data: &[u8]) -> Option<String> {
    let utf16 = |be: bool| {
        let units: Vec<u16> = data[2..]
            .chunks_exact(2)
            .map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .collect();
        String::from_utf16(&units).ok()
    };
    let text = match data {
        [0xFF, 0xFE, ..] => utf16(false)?,
        [0xFE, 0xFF, ..] => utf16(true)?,
        _ => std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)).ok()?.to_string(),
    };
    (!text.contains('\0')).then_some(text)
}

/// Line ends made `\n`; control characters other than tab and newline dropped; trailing spaces
/// and runs of blank lines (PDF layout leaves many) cut; the whole trimmed.
pub(crate) fn normalize(raw: &str) -> String {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    let mut blank_run = 0;
    for line in unified.lines() {
        let line: String = line.chars().filter(|&c| c == '\t' || !c.is_control()).collect();
        let line = line.trim_end();
        blank_run = if line.is_empty() { blank_run + 1 } else { 0 };
        if blank_run < 2 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_bom_and_binary_data() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Hb 9.1".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le).as_deref(), Some("Hb 9.1"));
        let be: Vec<u8> =
            [0xFE, 0xFF].into_iter().chain("血红蛋白".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&be).as_deref(), Some("血红蛋白"));
        assert_eq!(decode(b"PK\x03\x04\0\0"), None);
        assert_eq!(decode(b"\xC3\x28"), None);
    }

    #[test]
    fn layout_noise_is_cleaned() {
        assert_eq!(normalize("  a  \r\n\r\n\r\n\r\nb\x07\tc\rd\n\n"), "a\n\nb\tc\nd");
    }
}
