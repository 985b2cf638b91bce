//! The framing layer between stdio and tower-lsp-server.
//!
//! tower-lsp-server 0.23 answers a body that is not JSON (or not a JSON-RPC
//! message) with an error and then stops reading: its `FramedRead` ends the
//! stream after the first decode error, and the server never answers again.
//! So aam reads the `Content-Length` frames itself, answers a malformed one
//! with a JSON-RPC error (`-32700` parse error, `-32600` invalid request),
//! and passes only well-formed messages on to the framework through a pipe.
//! The framework's output is split back into frames and written to stdout
//! together with those error responses, one whole frame at a time.

use serde_json::{Value, json};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Longest header line read; longer lines are discarded as garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;
/// Largest body accepted (a 1 GiB message is a client bug, not an article).
const MAX_BODY: usize = 1 << 30;

/// JSON-RPC `Parse error`.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC `Invalid Request`.
pub const INVALID_REQUEST: i64 = -32600;
/// The notification a `textDocument/diagnostic` request is passed on as,
/// with the request's id and parameters: the server answers it itself,
/// from diagnostics it has serialised already (`server::diagnostics`),
/// instead of through the framework, which would first build a
/// `serde_json::Value` of every diagnostic.
pub const PULL: &str = "aam/pullDiagnostic";
const PULL_REQUEST: &str = "textDocument/diagnostic";

/// What one read from the input yielded.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body, as sent.
    Body(Vec<u8>),
    /// Headers without a usable `Content-Length`, or a body too large.
    BadHeader(String),
    /// The input ended.
    Eof,
}

/// Reads one frame: headers up to an empty line, then `Content-Length`
/// bytes of body.
pub async fn read_frame<R: AsyncBufRead + Unpin>(reader: &mut R) -> std::io::Result<Frame> {
    let mut content_length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let line = match read_header_line(reader).await? {
            HeaderLine::Eof if saw_header => {
                return Ok(Frame::BadHeader("the input ended inside headers".to_owned()));
            }
            HeaderLine::Eof => return Ok(Frame::Eof),
            HeaderLine::TooLong => {
                saw_header = true;
                content_length = Some(Err("a header line is too long".to_owned()));
                continue;
            }
            HeaderLine::Line(line) => line,
        };
        if line.is_empty() {
            if !saw_header {
                continue; // stray blank lines between frames
            }
            break;
        }
        saw_header = true;
        let Some((name, value)) = line.split_once(':') else {
            content_length = Some(Err(format!("malformed header `{}`", truncate(&line))));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") && !matches!(content_length, Some(Err(_))) {
            content_length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("invalid Content-Length `{}`", truncate(value.trim()))),
            );
        }
    }
    let length = match content_length {
        Some(Ok(length)) => length,
        Some(Err(message)) => return Ok(Frame::BadHeader(message)),
        None => return Ok(Frame::BadHeader("missing Content-Length header".to_owned())),
    };
    if length > MAX_BODY {
        // Skip the body so that the next frame is read from its start.
        tokio::io::copy(&mut reader.take(length as u64), &mut tokio::io::sink()).await?;
        return Ok(Frame::BadHeader(format!("a body of {length} bytes is too large")));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(Frame::Body(body))
}

/// `Content-Length: N` and the body.
pub fn encode(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// What a body is.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// A well-formed message for the framework; `exit` is the last one;
    /// `serving`: `Some(true)` for `initialize`, `Some(false)` for
    /// `shutdown`.
    Valid { exit: bool, serving: Option<bool> },
    /// A pull request, for the framework as this `PULL` notification.
    Pull(Vec<u8>),
    /// Not one: the error response to send instead.
    Invalid(Vec<u8>),
}

/// Whether the framework may see `body`, or the error response to send.
pub fn check_body(body: &[u8]) -> Checked {
    if let Ok(request) = serde_json::from_slice::<Request>(body) {
        if request.method() == PULL_REQUEST && request.id().is_some() {
            let (_, id, params) = request.into_parts();
            let notification =
                json!({"jsonrpc": "2.0", "method": PULL, "params": {"id": id, "params": params}});
            return Checked::Pull(notification.to_string().into_bytes());
        }
        let serving = match (request.method(), request.id().is_some()) {
            ("initialize", true) => Some(true),
            ("shutdown", true) => Some(false),
            _ => None,
        };
        return Checked::Valid { exit: request.method() == "exit" && request.id().is_none(), serving };
    }
    if serde_json::from_slice::<Response>(body).is_ok() {
        return Checked::Valid { exit: false, serving: None };
    }
    let (code, message, id) = match serde_json::from_slice::<Value>(body) {
        Err(err) => (PARSE_ERROR, format!("Parse error: {err}"), Value::Null),
        Ok(Value::Array(_)) => {
            (INVALID_REQUEST, "Invalid Request: batches are not supported".to_owned(), Value::Null)
        }
        Ok(value) => {
            let id =
                value.get("id").filter(|id| id.is_string() || id.is_i64()).cloned().unwrap_or(Value::Null);
            (INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message".to_owned(), id)
        }
    };
    Checked::Invalid(error_response(code, &message, id))
}

/// A JSON-RPC error response, framed.
pub fn error_response(code: i64, message: &str, id: Value) -> Vec<u8> {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    encode(body.to_string().as_bytes())
}

/// Reads client frames from `input`: well-formed ones go on to `server`,
/// malformed ones are answered through `output`. Returns when `input` ends
/// or after passing on `exit`.
pub async fn pump_input<R, W>(input: R, mut server: W, output: mpsc::Sender<Vec<u8>>) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = BufReader::with_capacity(1 << 16, input);
    // Between `initialize` and `shutdown`, pull requests are answered by
    // the server itself; outside, the framework answers them (with the
    // error its state calls for).
    let mut serving = false;
    loop {
        match read_frame(&mut reader).await? {
            Frame::Eof => break,
            Frame::BadHeader(message) => {
                tracing::warn!("malformed frame from the client: {message}");
                let _ = output
                    .send(error_response(PARSE_ERROR, &format!("Parse error: {message}"), Value::Null))
                    .await;
            }
            Frame::Body(body) => match check_body(&body) {
                Checked::Invalid(answer) => {
                    tracing::warn!(
                        "malformed message from the client: {}",
                        truncate(&String::from_utf8_lossy(&body))
                    );
                    let _ = output.send(answer).await;
                }
                Checked::Pull(notification) if serving => {
                    server.write_all(&encode(&notification)).await?;
                    server.flush().await?;
                }
                Checked::Pull(_) => {
                    server.write_all(&encode(&body)).await?;
                    server.flush().await?;
                }
                Checked::Valid { exit, serving: now } => {
                    serving = now.unwrap_or(serving);
                    server.write_all(&encode(&body)).await?;
                    server.flush().await?;
                    if exit {
                        break;
                    }
                }
            },
        }
    }
    server.shutdown().await
}

/// Splits the framework's output into frames and sends each to `output`.
pub async fn pump_output<R: AsyncRead + Unpin>(
    from_server: R,
    output: mpsc::Sender<Vec<u8>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 16, from_server);
    loop {
        match read_frame(&mut reader).await? {
            Frame::Eof => return Ok(()),
            Frame::BadHeader(message) => tracing::error!("the framework wrote a malformed frame: {message}"),
            Frame::Body(body) => {
                if output.send(encode(&body)).await.is_err() {
                    return Ok(());
                }
            }
        }
    }
}

/// Writes whole frames to `stdout` until every sender is gone. Blocking, on
/// a thread of its own: a frame the server queues is written by the thread
/// it wakes, where tokio's `Stdout` would wake a task that hands the write
/// to yet another thread (on two busy cores, each wake-up can wait for a
/// time slice).
pub fn write_frames<W: std::io::Write>(
    mut frames: mpsc::Receiver<Vec<u8>>,
    mut stdout: W,
) -> std::io::Result<()> {
    while let Some(frame) = frames.blocking_recv() {
        stdout.write_all(&frame)?;
        stdout.flush()?;
    }
    Ok(())
}

enum HeaderLine {
    Line(String),
    TooLong,
    Eof,
}

/// One header line without its `\r\n` (or `\n`).
async fn read_header_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> std::io::Result<HeaderLine> {
    let mut line = Vec::new();
    let read = (&mut *reader).take(MAX_HEADER_LINE as u64).read_until(b'\n', &mut line).await?;
    if read == 0 {
        return Ok(HeaderLine::Eof);
    }
    if !line.ends_with(b"\n") {
        if line.len() < MAX_HEADER_LINE {
            return Ok(HeaderLine::Eof);
        }
        // Discard the rest of the overlong line.
        let mut rest = Vec::new();
        reader.read_until(b'\n', &mut rest).await?;
        return Ok(HeaderLine::TooLong);
    }
    let text = String::from_utf8_lossy(&line);
    Ok(HeaderLine::Line(text.trim_end_matches(['\r', '\n']).to_owned()))
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((idx, _)) => format!("{}…", &text[..idx]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn frames(input: &[u8]) -> Vec<Frame> {
        let mut reader = BufReader::new(input);
        let mut out = Vec::new();
        loop {
            let frame = read_frame(&mut reader).await.unwrap();
            if frame == Frame::Eof {
                return out;
            }
            out.push(frame);
        }
    }

    #[tokio::test]
    async fn reads_frames_and_survives_bad_headers() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\n\r\nContent-Length: 3\r\ncontent-type: utf-8\r\n\r\n[1]";
        assert_eq!(
            frames(input).await,
            [
                Frame::Body(b"{}".to_vec()),
                Frame::BadHeader("missing Content-Length header".to_owned()),
                Frame::Body(b"[1]".to_vec()),
            ]
        );
        let input = b"Content-Length: x\r\n\r\nContent-Length: 1\r\n\r\n1";
        assert_eq!(
            frames(input).await,
            [Frame::BadHeader("invalid Content-Length `x`".to_owned()), Frame::Body(b"1".to_vec())]
        );
    }

    #[test]
    fn classifies_bodies() {
        let valid = |exit, serving| Checked::Valid { exit, serving };
        assert_eq!(check_body(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#), valid(false, None));
        assert_eq!(check_body(br#"{"jsonrpc":"2.0","id":1,"result":null}"#), valid(false, None));
        assert_eq!(check_body(br#"{"jsonrpc":"2.0","method":"exit"}"#), valid(true, None));
        assert_eq!(
            check_body(br#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#),
            valid(false, Some(true))
        );
        assert_eq!(check_body(br#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#), valid(false, Some(false)));
        // A pull request becomes the `PULL` notification, with its id.
        let Checked::Pull(pull) =
            check_body(br#"{"jsonrpc":"2.0","id":"p1","method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///a"}}}"#)
        else {
            panic!("a pull request")
        };
        assert_eq!(
            serde_json::from_slice::<Value>(&pull).unwrap(),
            json!({"jsonrpc": "2.0", "method": PULL, "params": {"id": "p1", "params": {"textDocument": {"uri": "file:///a"}}}})
        );
        let answer = |body: &[u8]| {
            let Checked::Invalid(framed) = check_body(body) else { panic!("valid") };
            let json = &framed[framed.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
            serde_json::from_slice::<Value>(json).unwrap()
        };
        assert_eq!(answer(b"{not json")["error"]["code"], PARSE_ERROR);
        assert_eq!(answer(b"[1, 2]")["error"]["code"], INVALID_REQUEST);
        let wrong_version = answer(br#"{"jsonrpc":"1.0","id":7,"method":"x"}"#);
        assert_eq!(wrong_version["error"]["code"], INVALID_REQUEST);
        assert_eq!(wrong_version["id"], 7);
    }
}
