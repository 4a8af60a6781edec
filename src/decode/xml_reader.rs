//! A small XML tokenizer for API answers: element starts and ends, text and
//! CDATA. Declarations, processing instructions, comments and DOCTYPEs are
//! skipped; attributes are checked for form and skipped (no answer of this
//! API carries data in them).
//!
//! It exists for speed: it scans bytes for the few delimiters that matter
//! (`<`, `>`, quotes) instead of validating every character class the way a
//! general XML library does, which made tokenizing most of the cost of
//! decoding an XML answer (see `bench/README.md`). Names end at whitespace,
//! `/`, `>` or `=`, which are ASCII, so every slice taken is on a UTF-8
//! character boundary. Malformed input is an error with the byte offset
//! where it was found; the caller turns offsets into lines and columns.

/// One piece of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name ...>` or the start of `<name .../>`, with the offset of `<`.
    Start {
        /// The local name (any `prefix:` dropped).
        name: &'a str,
        /// Byte offset of `<`.
        at: usize,
    },
    /// `</name>` (with its local name) or the end of `<name/>` (`None`).
    End {
        /// The local name of a closing tag, `None` for `/>`.
        name: Option<&'a str>,
        /// Byte offset of the tag.
        at: usize,
    },
    /// Character data between tags, entities not yet resolved.
    Text {
        /// The raw text.
        text: &'a str,
        /// Byte offset of its first byte.
        at: usize,
    },
    /// The content of `<![CDATA[...]]>`, taken as it is.
    Cdata {
        /// The content.
        text: &'a str,
    },
}

/// What is wrong and at which byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What was expected or found.
    pub what: &'static str,
    /// Byte offset in the document.
    pub at: usize,
}

/// Tokens of `body`, in order. After an error the iterator ends.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    body: &'a str,
    pos: usize,
    /// `<name/>` gives a start now and an end on the next call.
    pending_end: Option<usize>,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `body` (after a byte order mark, if any).
    pub fn new(body: &'a str) -> Self {
        let pos = if body.starts_with('\u{feff}') { 3 } else { 0 };
        Reader {
            body,
            pos,
            pending_end: None,
            failed: false,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.body.as_bytes()
    }

    /// The offset of the first `needle` at or after `from`.
    fn find_from(&self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = &self.bytes()[from..];
        let first = needle[0];
        let mut i = 0;
        while let Some(hit) = hay[i..].iter().position(|&b| b == first) {
            let start = i + hit;
            if hay[start..].starts_with(needle) {
                return Some(from + start);
            }
            i = start + 1;
        }
        None
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    /// A name at `pos`: up to whitespace, `/`, `>`, `=`, `<`, `&` or a
    /// quote; its local part must not be empty or start with a digit,
    /// `-` or `.`.
    fn name(&mut self, what: &'static str) -> Result<&'a str, ReadError> {
        let start = self.pos;
        let bytes = self.bytes();
        let mut local_start = start;
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' | b'=' | b'<' | b'"' | b'\'' | b'&' => {
                    break
                }
                b':' => local_start = self.pos + 1,
                _ => {}
            }
            self.pos += 1;
        }
        let local = &self.body[local_start..self.pos];
        match local.as_bytes().first() {
            None | Some(b'0'..=b'9' | b'-' | b'.') => Err(self.error(what, start)),
            Some(_) => Ok(local),
        }
    }

    fn error(&self, what: &'static str, at: usize) -> ReadError {
        ReadError { what, at }
    }

    /// Skips `<?...?>`, `<!--...-->` or `<!DOCTYPE ...>` starting at `pos`.
    fn skip_markup(
        &mut self,
        open: &[u8],
        close: &[u8],
        what: &'static str,
    ) -> Result<(), ReadError> {
        let start = self.pos;
        let end = self
            .find_from(start + open.len(), close)
            .ok_or_else(|| self.error(what, start))?;
        self.pos = end + close.len();
        Ok(())
    }

    /// `<!DOCTYPE ...>`, with an internal subset in `[...]` if any.
    fn skip_doctype(&mut self) -> Result<(), ReadError> {
        let start = self.pos;
        let bytes = self.bytes();
        let mut i = start;
        let mut in_subset = false;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'[' => in_subset = true,
                b']' => in_subset = false,
                b'>' if !in_subset => {
                    self.pos = i + 1;
                    return Ok(());
                }
                _ => {}
            }
            i += 1;
        }
        Err(self.error("the end of the DOCTYPE", start))
    }

    /// The attributes of a start tag up to `>` or `/>`; returns whether the
    /// element is empty (`/>`).
    fn attributes(&mut self) -> Result<bool, ReadError> {
        loop {
            self.skip_whitespace();
            match self.bytes().get(self.pos) {
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(false);
                }
                Some(b'/') if self.bytes().get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Ok(true);
                }
                None => return Err(self.error("the end of the tag", self.pos)),
                Some(_) => {
                    self.name("an attribute name")?;
                    self.skip_whitespace();
                    if self.bytes().get(self.pos) != Some(&b'=') {
                        return Err(self.error("= after the attribute name", self.pos));
                    }
                    self.pos += 1;
                    self.skip_whitespace();
                    let quote = match self.bytes().get(self.pos) {
                        Some(&q @ (b'"' | b'\'')) => q,
                        _ => return Err(self.error("a quoted attribute value", self.pos)),
                    };
                    let close = self
                        .find_from(self.pos + 1, &[quote])
                        .ok_or_else(|| self.error("the closing quote", self.pos))?;
                    if self.body[self.pos + 1..close].contains('<') {
                        return Err(self.error("an attribute value without <", self.pos));
                    }
                    self.pos = close + 1;
                    // Attributes are separated by whitespace.
                    if !matches!(
                        self.bytes().get(self.pos),
                        Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/') | None
                    ) {
                        return Err(self.error("whitespace between attributes", self.pos));
                    }
                }
            }
        }
    }

    /// The next token, skipping markup that carries no data (in a loop: a
    /// document of a million comments must not recurse a million times).
    /// `<!--...-->`, `<![CDATA[...]]>` or `<!DOCTYPE ...>` at `start`.
    fn markup_declaration(&mut self, start: usize) -> Result<Option<Token<'a>>, ReadError> {
        let rest = &self.bytes()[start..];
        if rest.starts_with(b"<!--") {
            self.skip_markup(b"<!--", b"-->", "the end of the comment -->")
                .map(|()| None)
        } else if rest.starts_with(b"<![CDATA[") {
            let from = start + b"<![CDATA[".len();
            let end = self
                .find_from(from, b"]]>")
                .ok_or_else(|| self.error("the end of the CDATA section ]]>", start))?;
            self.pos = end + 3;
            Ok(Some(Token::Cdata {
                text: &self.body[from..end],
            }))
        } else if rest.starts_with(b"<!DOCTYPE") {
            self.skip_doctype().map(|()| None)
        } else {
            Err(self.error("<!--, <![CDATA[ or <!DOCTYPE", start))
        }
    }

    fn next_token(&mut self) -> Option<Result<Token<'a>, ReadError>> {
        if let Some(at) = self.pending_end.take() {
            return Some(Ok(Token::End { name: None, at }));
        }
        loop {
            match self.token_or_skip() {
                Ok(Some(Some(token))) => return Some(Ok(token)),
                Ok(Some(None)) => continue,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// `None` at the end, `Some(None)` after skipping markup.
    #[allow(clippy::type_complexity)]
    fn token_or_skip(&mut self) -> Result<Option<Option<Token<'a>>>, ReadError> {
        let bytes = self.bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return Ok(None);
        }
        if bytes[start] != b'<' {
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b'<')
                .map_or(bytes.len(), |i| start + i);
            self.pos = end;
            return Ok(Some(Some(Token::Text {
                text: &self.body[start..end],
                at: start,
            })));
        }
        let token = match bytes.get(start + 1) {
            Some(b'?') => self
                .skip_markup(b"<?", b"?>", "the end of the processing instruction ?>")
                .map(|()| None),
            Some(b'!') => self.markup_declaration(start),
            Some(b'/') => {
                self.pos = start + 2;
                self.name("a tag name").and_then(|name| {
                    self.skip_whitespace();
                    if self.bytes().get(self.pos) == Some(&b'>') {
                        self.pos += 1;
                        Ok(Some(Token::End {
                            name: Some(name),
                            at: start,
                        }))
                    } else {
                        Err(self.error("> to end the closing tag", self.pos))
                    }
                })
            }
            _ => {
                self.pos = start + 1;
                self.name("a tag name").and_then(|name| {
                    if self.attributes()? {
                        self.pending_end = Some(start);
                    }
                    Ok(Some(Token::Start { name, at: start }))
                })
            }
        };
        token.map(Some)
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Token<'a>, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let token = self.next_token();
        if let Some(Err(_)) = token {
            self.failed = true;
        }
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn tokens(body: &str) -> Result<Vec<Token<'_>>, ReadError> {
        Reader::new(body).collect()
    }

    #[test]
    fn elements_text_and_cdata() {
        assert_eq!(
            tokens("<?xml version=\"1.0\"?><a:R x='1'><B>t&amp;</B><C/><![CDATA[<>]]></a:R>"),
            Ok(alloc::vec![
                Token::Start { name: "R", at: 21 },
                Token::Start { name: "B", at: 32 },
                Token::Text {
                    text: "t&amp;",
                    at: 35
                },
                Token::End {
                    name: Some("B"),
                    at: 41
                },
                Token::Start { name: "C", at: 45 },
                Token::End { name: None, at: 45 },
                Token::Cdata { text: "<>" },
                Token::End {
                    name: Some("R"),
                    at: 63
                },
            ])
        );
    }

    #[test]
    fn comments_doctype_and_processing_instructions_are_skipped() {
        assert_eq!(
            tokens("<!DOCTYPE r [<!ENTITY e \"x\">]><!-- <no> --><r><?pi x?></r >"),
            Ok(alloc::vec![
                Token::Start { name: "r", at: 43 },
                Token::End {
                    name: Some("r"),
                    at: 54
                },
            ])
        );
    }

    #[test]
    fn malformed_tags_are_errors_with_offsets() {
        for (body, what, at) in [
            ("<a><b x=1/></a>", "a quoted attribute value", 8),
            ("<a", "the end of the tag", 2),
            ("<a x=\"1\"y=\"2\">", "whitespace between attributes", 8),
            ("<>", "a tag name", 1),
            ("</a", "> to end the closing tag", 3),
            ("<a><!-- x", "the end of the comment -->", 3),
            ("<a><![CDATA[x", "the end of the CDATA section ]]>", 3),
            ("<1a/>", "a tag name", 1),
        ] {
            let err = tokens(body).unwrap_err();
            assert_eq!((err.what, err.at), (what, at), "{body:?}");
        }
    }

    #[test]
    fn non_ascii_names_and_text_are_sliced_on_character_boundaries() {
        assert_eq!(
            tokens("<é>中</é>"),
            Ok(alloc::vec![
                Token::Start { name: "é", at: 0 },
                Token::Text { text: "中", at: 4 },
                Token::End {
                    name: Some("é"),
                    at: 7
                },
            ])
        );
    }
}
