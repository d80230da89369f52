//! `lethe -`: the command line typed at a prompt (or read as the first line of stdin) instead
//! of given as arguments, so that nothing about the work (order codes, amounts, names, paths,
//! `hide`) lands in the shell's history or in the process list.

use std::io::{IsTerminal, Read, Write};

/// The longest command line accepted.
const MAX_LINE: usize = 64 * 1024;

/// Reads one command line: from the terminal after a prompt when stdin is a terminal,
/// otherwise the first line of stdin (the rest stays for the command, e.g. a note's text).
pub fn read() -> Result<Vec<String>, String> {
    let terminal = std::io::stdin().is_terminal();
    if terminal {
        eprint!("lethe command (not kept in the shell's history), e.g. hide vault.bin:\nlethe ");
        let _ = std::io::stderr().flush();
    }
    let mut line = Vec::new();
    let mut stdin = std::io::stdin();
    let mut byte = [0u8; 1];
    loop {
        // One byte at a time: what follows the line belongs to the command.
        let n = stdin.read(&mut byte).map_err(|e| format!("cannot read the command line: {e}"))?;
        if n == 0 || byte[0] == b'\n' {
            break;
        }
        if line.len() == MAX_LINE {
            return Err("the command line is longer than 64 KiB".into());
        }
        line.push(byte[0]);
    }
    let text = String::from_utf8(line).map_err(|_| "the command line is not UTF-8 text".to_string())?;
    let words = split(&text)?;
    match words.first().map(String::as_str) {
        None => Err(if terminal {
            "no command was typed; nothing was done".into()
        } else {
            "the first line of stdin holds no command (with `lethe -`, it must hold the command line)".into()
        }),
        Some("-") => Err("`lethe -` cannot read another `-`: type the command itself".into()),
        Some(_) => Ok(words),
    }
}

/// Splits a command line into words as a shell would for simple input: blanks separate
/// words, 'single quotes' keep everything, "double quotes" keep everything but \" and \\,
/// and a backslash outside quotes keeps the next character.
pub fn split(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.trim_end_matches('\r').chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a ' is not closed; nothing was done".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a \" is not closed; nothing was done".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a \" is not closed; nothing was done".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("the line ends with a \\; nothing was done".into()),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(split("hide vault.bin").unwrap(), ["hide", "vault.bin"]);
        assert_eq!(
            split("  field deliver v.bin K3F-9QZ2 --amount 3000000\t--media '/sdcard/DCIM/IMG 1.jpg' ").unwrap(),
            ["field", "deliver", "v.bin", "K3F-9QZ2", "--amount", "3000000", "--media", "/sdcard/DCIM/IMG 1.jpg"]
        );
        assert_eq!(
            split(r#"hub add-broker v --name "김 \"민\" \\ 수""#).unwrap(),
            ["hub", "add-broker", "v", "--name", r#"김 "민" \ 수"#]
        );
        assert_eq!(split(r"a\ b c''").unwrap(), ["a b", "c"]);
        assert_eq!(split("x \"\"").unwrap(), ["x", ""]);
        assert_eq!(split("ls v\r").unwrap(), ["ls", "v"]);
        assert!(split("").unwrap().is_empty());
        assert!(split("'open").is_err());
        assert!(split("\"open").is_err());
        assert!(split("end\\").is_err());
    }
}
