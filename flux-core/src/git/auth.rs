//! Credentials for a fetch, read from a Kubernetes Secret's data (the caller's
//! secret map), and URL redaction so that credentials never reach a message.
//!
//! Keys, as source-controller reads them: `username` + `password` (HTTP basic
//! auth), `bearerToken` (HTTP `Authorization: Bearer`), `identity` +
//! `known_hosts` (SSH deploy key; `identity.pub` is ignored).
//!
//! ```
//! use std::collections::BTreeMap;
//! use fluxcd_core::git::auth::{redact_url, Auth};
//!
//! let mut secret = BTreeMap::new();
//! secret.insert("username".to_string(), b"bot".to_vec());
//! secret.insert("password".to_string(), b"s3cret".to_vec());
//! let auth = Auth::from_secret(&secret).unwrap();
//! assert_eq!(auth.username.as_deref(), Some("bot"));
//! assert!(!format!("{auth:?}").contains("s3cret"));
//! assert_eq!(redact_url("https://bot:s3cret@example.com/r.git"), "https://***@example.com/r.git");
//! ```

use std::collections::BTreeMap;
use std::fmt;

/// Credentials for one fetch. `Debug` never shows secret values.
#[derive(Clone, Default)]
pub struct Auth {
    /// HTTP basic auth user name.
    pub username: Option<String>,
    /// HTTP basic auth password.
    pub password: Option<String>,
    /// HTTP bearer token.
    pub bearer_token: Option<String>,
    /// SSH private key (PEM / OpenSSH format).
    pub identity: Option<Vec<u8>>,
    /// SSH known_hosts lines for the server.
    pub known_hosts: Option<Vec<u8>>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = |b: bool| if b { "<set>" } else { "<unset>" };
        f.debug_struct("Auth")
            .field("username", &self.username)
            .field("password", &mark(self.password.is_some()))
            .field("bearer_token", &mark(self.bearer_token.is_some()))
            .field("identity", &mark(self.identity.is_some()))
            .field("known_hosts", &mark(self.known_hosts.is_some()))
            .finish()
    }
}

/// Why credentials cannot be used; `Display` holds no secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A key of the secret is not UTF-8 text where text is required.
    #[error("secret key '{0}' is not valid UTF-8")]
    NotUtf8(String),
    /// Basic auth and a bearer token were both given.
    #[error("basic auth and bearer token cannot be set at the same time")]
    BasicAndBearer,
    /// An ssh:// URL without `identity` in the secret.
    #[error("invalid 'ssh' auth option: 'identity' is required")]
    MissingIdentity,
    /// An ssh:// URL without `known_hosts` in the secret.
    #[error("invalid 'ssh' auth option: 'known_hosts' is required")]
    MissingKnownHosts,
}

fn text(secret: &BTreeMap<String, Vec<u8>>, key: &str) -> Result<Option<String>, AuthError> {
    match secret.get(key) {
        None => Ok(None),
        Some(v) => String::from_utf8(v.clone())
            .map(Some)
            .map_err(|_| AuthError::NotUtf8(key.to_string())),
    }
}

impl Auth {
    /// Reads the credentials of a Secret's data.
    pub fn from_secret(secret: &BTreeMap<String, Vec<u8>>) -> Result<Auth, AuthError> {
        let auth = Auth {
            username: text(secret, "username")?,
            password: text(secret, "password")?,
            bearer_token: text(secret, "bearerToken")?,
            identity: secret.get("identity").cloned(),
            known_hosts: secret.get("known_hosts").cloned(),
        };
        if auth.bearer_token.is_some() && (auth.username.is_some() || auth.password.is_some()) {
            return Err(AuthError::BasicAndBearer);
        }
        Ok(auth)
    }

    /// Whether HTTP basic auth is configured.
    pub fn has_basic(&self) -> bool {
        self.username.is_some() || self.password.is_some()
    }

    /// Every secret value, to scrub from messages coming back from the transport.
    pub(crate) fn secret_values(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in [&self.password, &self.bearer_token].into_iter().flatten() {
            if s.len() >= 3 {
                out.push(s.clone());
            }
        }
        out
    }
}

/// The URL with any `user:password@` (or `user@` on http/https) replaced by
/// `***@`; other URLs are returned unchanged.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => {
            let user = &authority[..at];
            let scheme = &url[..scheme_end];
            let is_http =
                scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            if !is_http && !user.contains(':') {
                // ssh://git@host: the user name is no secret.
                return url.to_string();
            }
            format!("{}://***@{}", scheme, &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

/// Scrubs every secret value and every URL userinfo from `message`.
pub(crate) fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_string();
    for s in secrets {
        out = out.replace(s.as_str(), "***");
    }
    // URLs embedded in the message.
    let mut result = String::with_capacity(out.len());
    for (i, word) in out.split(' ').enumerate() {
        if i > 0 {
            result.push(' ');
        }
        if word.contains("://") && word.contains('@') {
            let start = word.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(0);
            result.push_str(&word[..start]);
            result.push_str(&redact_url(&word[start..]));
        } else {
            result.push_str(word);
        }
    }
    result
}

/// The URL scheme class of a fetch URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`
    Http,
    /// `https://`
    Https,
    /// `ssh://` or scp-like `user@host:path`
    Ssh,
    /// `git://`
    Git,
    /// `file://` or a local path
    File,
}

/// The scheme of `url` (`None` for an unsupported one).
pub fn scheme_of(url: &str) -> Option<Scheme> {
    if let Some(i) = url.find("://") {
        return match url[..i].to_ascii_lowercase().as_str() {
            "http" => Some(Scheme::Http),
            "https" => Some(Scheme::Https),
            "ssh" | "git+ssh" | "ssh+git" => Some(Scheme::Ssh),
            "git" => Some(Scheme::Git),
            "file" => Some(Scheme::File),
            _ => None,
        };
    }
    // scp-like `git@host:path` (a colon before any slash, not a Windows drive).
    if let Some(colon) = url.find(':') {
        let slash = url.find('/').unwrap_or(usize::MAX);
        if colon < slash && colon > 1 {
            return Some(Scheme::Ssh);
        }
    }
    Some(Scheme::File)
}

/// Whether the URL carries a password or (for http/https) any userinfo.
pub fn url_has_credentials(url: &str) -> bool {
    redact_url(url) != url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        assert_eq!(redact_url("http://u:p@h:80/x?y"), "http://***@h:80/x?y");
        assert_eq!(redact_url("https://token@h/x"), "https://***@h/x");
        assert_eq!(redact_url("ssh://git@h/x"), "ssh://git@h/x");
        assert_eq!(redact_url("ssh://git:pw@h/x"), "ssh://***@h/x");
        assert_eq!(redact_url("https://h/x@y"), "https://h/x@y");
        assert_eq!(redact_url("/a/b"), "/a/b");
        assert!(url_has_credentials("http://u:p@h/"));
        assert!(!url_has_credentials("ssh://git@h/x"));
    }

    #[test]
    fn scrub_messages() {
        let m = scrub(
            "failed for 'http://u:hunter2@h/x' with hunter2",
            &["hunter2".to_string()],
        );
        assert!(!m.contains("hunter2"), "{m}");
        assert!(m.contains("***@h/x"), "{m}");
    }

    #[test]
    fn secret_map() {
        let mut s = BTreeMap::new();
        s.insert("bearerToken".to_string(), b"tok".to_vec());
        assert_eq!(
            Auth::from_secret(&s).unwrap().bearer_token.as_deref(),
            Some("tok")
        );
        s.insert("username".to_string(), b"u".to_vec());
        assert_eq!(
            Auth::from_secret(&s).unwrap_err(),
            AuthError::BasicAndBearer
        );
        let mut bad = BTreeMap::new();
        bad.insert("password".to_string(), vec![0xff, 0xfe]);
        assert_eq!(
            Auth::from_secret(&bad).unwrap_err(),
            AuthError::NotUtf8("password".into())
        );
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme_of("https://h/x"), Some(Scheme::Https));
        assert_eq!(scheme_of("git@github.com:org/repo.git"), Some(Scheme::Ssh));
        assert_eq!(scheme_of("/tmp/repo"), Some(Scheme::File));
        assert_eq!(scheme_of("file:///tmp/repo"), Some(Scheme::File));
        assert_eq!(scheme_of("ftp://h/x"), None);
    }
}
