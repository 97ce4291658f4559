//! Commit message preview: an ImageUpdateAutomation's `spec.git.commit.messageTemplate`
//! rendered with the data image-automation-controller v1.2 passes to Go's
//! `text/template` — `.AutomationObject` (`namespace/name`), `.Changed` with
//! `.Changed.Changes` (every `{OldValue, NewValue, Setter}`), `.Changed.FileChanges`
//! (file → object → changes) and `.Changed.Objects` (object → changes), and `.Values`
//! (`spec.git.commit.messageTemplateValues`).
//!
//! A subset of Go templates is understood: `{{ .Field.Path }}`, `{{ $var }}`,
//! `{{ range PIPE }}` / `{{ range $k, $v := PIPE }}` (maps in key order, as Go),
//! `{{ if PIPE }}` / `{{ else }}` / `{{ end }}`, `{{ len PIPE }}`, comments and the
//! `{{-`/`-}}` trim markers. Anything else (sprig functions, `printf`, `with`, ...)
//! is reported as an error (`imageupdate.template`), never guessed. Object keys are
//! shown as `Kind namespace/name` (upstream prints its `ObjectIdentifier` struct).
//!
//! ```
//! use fluxcd_core::image::template::{render, Change, TemplateData};
//! let data = TemplateData {
//!     automation: "flux-system/apps".into(),
//!     changes: vec![("apps/web.yaml".into(), "Deployment apps/web".into(),
//!                    Change { old: "1.0".into(), new: "1.1".into(), setter: "apps:web:tag".into() })],
//!     values: Default::default(),
//! };
//! let msg = render("Update by {{ .AutomationObject }}\n{{ range .Changed.Changes -}}\n- {{ .OldValue }} -> {{ .NewValue }}\n{{ end -}}", &data).unwrap();
//! assert_eq!(msg, "Update by flux-system/apps\n- 1.0 -> 1.1\n");
//! ```

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
    /// The setter (`ns:name[:tag|:name|:digest]`).
    pub setter: String,
}

/// What the template sees.
#[derive(Debug, Clone, Default)]
pub struct TemplateData {
    /// `namespace/name` of the ImageUpdateAutomation.
    pub automation: String,
    /// (file, object `Kind namespace/name`, change), in order.
    pub changes: Vec<(String, String, Change)>,
    /// `messageTemplateValues`.
    pub values: BTreeMap<String, String>,
}

fn data_value(d: &TemplateData) -> Value {
    let change = |c: &Change| json!({"OldValue": c.old, "NewValue": c.new, "Setter": c.setter});
    let mut files: Map<String, Value> = Map::new();
    let mut objects: Map<String, Value> = Map::new();
    for (file, obj, c) in &d.changes {
        let f = files.entry(file.clone()).or_insert_with(|| json!({}));
        let list = f
            .as_object_mut()
            .map(|m| m.entry(obj.clone()).or_insert_with(|| json!([])));
        if let Some(Value::Array(a)) = list {
            a.push(change(c));
        }
        if let Value::Array(a) = objects.entry(obj.clone()).or_insert_with(|| json!([])) {
            a.push(change(c));
        }
    }
    json!({
        "AutomationObject": d.automation,
        "Changed": {
            "Changes": d.changes.iter().map(|(_, _, c)| change(c)).collect::<Vec<_>>(),
            "FileChanges": files,
            "Objects": objects,
        },
        "Values": d.values,
    })
}

#[derive(Debug)]
enum Node {
    Text(String),
    Print(String),
    Range {
        vars: Vec<String>,
        pipe: String,
        body: Vec<Node>,
        alt: Vec<Node>,
    },
    If {
        pipe: String,
        body: Vec<Node>,
        alt: Vec<Node>,
    },
}

struct Parser<'a> {
    toks: Vec<(bool, &'a str)>, // (is action, text)
    pos: usize,
}

fn lex(src: &str) -> Result<Vec<(bool, &str)>, String> {
    let mut out: Vec<(bool, &str)> = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while let Some(i) = rest.find("{{") {
        let mut text = &rest[..i];
        if trim_next {
            text = text.trim_start();
        }
        let after = &rest[i + 2..];
        let (trim_left, after) = match after.strip_prefix("- ") {
            Some(a) => (true, a),
            None => (false, after),
        };
        if trim_left {
            text = text.trim_end();
        }
        out.push((false, text));
        let end = after.find("}}").ok_or("unclosed action")?;
        let mut action = &after[..end];
        trim_next = false;
        if let Some(a) = action.strip_suffix(" -") {
            action = a;
            trim_next = true;
        }
        let action = action.trim();
        if !(action.starts_with("/*") && action.ends_with("*/")) {
            out.push((true, action));
        }
        rest = &after[end + 2..];
    }
    out.push((false, if trim_next { rest.trim_start() } else { rest }));
    Ok(out)
}

impl<'a> Parser<'a> {
    fn nodes(&mut self, stop: &[&str]) -> Result<(Vec<Node>, String), String> {
        let mut out = Vec::new();
        while self.pos < self.toks.len() {
            let (is_action, t) = self.toks[self.pos];
            self.pos += 1;
            if !is_action {
                if !t.is_empty() {
                    out.push(Node::Text(t.to_string()));
                }
                continue;
            }
            let word = t.split_whitespace().next().unwrap_or("");
            if stop.contains(&word) {
                return Ok((out, word.to_string()));
            }
            match word {
                "range" | "if" => {
                    let mut pipe = t[word.len()..].trim().to_string();
                    let mut vars = Vec::new();
                    if word == "range" {
                        if let Some((v, p)) = pipe.split_once(":=") {
                            vars = v.split(',').map(|x| x.trim().to_string()).collect();
                            pipe = p.trim().to_string();
                        }
                    }
                    let (body, end) = self.nodes(&["else", "end"])?;
                    let alt = if end == "else" {
                        self.nodes(&["end"])?.0
                    } else {
                        Vec::new()
                    };
                    out.push(if word == "range" {
                        Node::Range {
                            vars,
                            pipe,
                            body,
                            alt,
                        }
                    } else {
                        Node::If { pipe, body, alt }
                    });
                }
                "end" | "else" => return Err(format!("unexpected {{{{{word}}}}}")),
                "with" | "define" | "template" | "block" | "break" | "continue" => {
                    return Err(format!("{{{{{word}}}}} is not supported by the preview"))
                }
                _ => out.push(Node::Print(t.to_string())),
            }
        }
        if stop.is_empty() {
            Ok((out, String::new()))
        } else {
            Err("unexpected EOF".to_string())
        }
    }
}

struct Scope<'v> {
    dot: Value,
    root: &'v Value,
    vars: Vec<(String, Value)>,
}

fn eval(pipe: &str, s: &Scope) -> Result<Value, String> {
    let pipe = pipe.trim();
    if let Some(arg) = pipe.strip_prefix("len ") {
        let v = eval(arg, s)?;
        return match &v {
            Value::Array(a) => Ok(json!(a.len())),
            Value::Object(m) => Ok(json!(m.len())),
            Value::String(t) => Ok(json!(t.len())),
            _ => Err(format!("len of {v}")),
        };
    }
    if pipe.starts_with('"') {
        return serde_json::from_str(pipe).map_err(|e| format!("bad string {pipe}: {e}"));
    }
    let (base, path) = if pipe == "." {
        (s.dot.clone(), "")
    } else if let Some(p) = pipe.strip_prefix('$') {
        let (name, path) = p.split_once('.').map_or((p, ""), |(n, r)| (n, r));
        let v = if name.is_empty() {
            s.root.clone()
        } else {
            s.vars
                .iter()
                .rev()
                .find(|(n, _)| n == &format!("${name}"))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| format!("undefined variable \"${name}\""))?
        };
        (v, path)
    } else if let Some(p) = pipe.strip_prefix('.') {
        (s.dot.clone(), p)
    } else {
        return Err(format!(
            "function {:?} not defined",
            pipe.split_whitespace().next().unwrap_or(pipe)
        ));
    };
    let mut cur = base;
    for field in path.split('.').filter(|f| !f.is_empty()) {
        if field.contains(' ') || field.contains('|') {
            return Err(format!("unsupported pipeline {pipe:?}"));
        }
        cur = match &cur {
            Value::Object(m) => match m.get(field) {
                Some(v) => v.clone(),
                None if m.keys().all(|k| k.starts_with(|c: char| c.is_uppercase())) => {
                    return Err(format!("can't evaluate field {field}"))
                }
                None => Value::Null, // a map key that is missing: Go prints <no value>
            },
            _ => return Err(format!("can't evaluate field {field} in {cur}")),
        };
    }
    Ok(cur)
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

fn print(v: &Value) -> String {
    match v {
        Value::Null => "<no value>".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn exec(nodes: &[Node], s: &mut Scope, out: &mut String) -> Result<(), String> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Print(p) => out.push_str(&print(&eval(p, s)?)),
            Node::If { pipe, body, alt } => {
                let v = eval(pipe, s)?;
                exec(if truthy(&v) { body } else { alt }, s, out)?;
            }
            Node::Range {
                vars,
                pipe,
                body,
                alt,
            } => {
                let v = eval(pipe, s)?;
                let items: Vec<(Value, Value)> = match &v {
                    Value::Array(a) => a
                        .iter()
                        .enumerate()
                        .map(|(i, x)| (json!(i), x.clone()))
                        .collect(),
                    Value::Object(m) => {
                        // Go ranges over a map in key order.
                        let mut kv: Vec<(&String, &Value)> = m.iter().collect();
                        kv.sort_by(|a, b| a.0.cmp(b.0));
                        kv.into_iter().map(|(k, x)| (json!(k), x.clone())).collect()
                    }
                    Value::Null => Vec::new(),
                    other => return Err(format!("range can't iterate over {other}")),
                };
                if items.is_empty() {
                    exec(alt, s, out)?;
                    continue;
                }
                for (k, x) in items {
                    let saved_dot = std::mem::replace(&mut s.dot, x.clone());
                    let saved = s.vars.len();
                    match vars.as_slice() {
                        [v] => s.vars.push((v.clone(), x)),
                        [kv, vv] => {
                            s.vars.push((kv.clone(), k));
                            s.vars.push((vv.clone(), x));
                        }
                        _ => {}
                    }
                    exec(body, s, out)?;
                    s.vars.truncate(saved);
                    s.dot = saved_dot;
                }
            }
        }
    }
    Ok(())
}

/// Renders `template` with `data`.
///
/// # Errors
///
/// A syntax this preview does not understand, an unknown field or variable, an
/// unclosed action.
pub fn render(template: &str, data: &TemplateData) -> Result<String, String> {
    let toks = lex(template)?;
    let mut p = Parser { toks, pos: 0 };
    let (nodes, _) = p.nodes(&[])?;
    let root = data_value(data);
    let mut scope = Scope {
        dot: root.clone(),
        root: &root,
        vars: Vec::new(),
    };
    let mut out = String::new();
    exec(&nodes, &mut scope, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> TemplateData {
        TemplateData {
            automation: "flux-system/apps".into(),
            changes: vec![
                (
                    "b.yaml".into(),
                    "Deployment apps/b".into(),
                    Change {
                        old: "1".into(),
                        new: "2".into(),
                        setter: "apps:b".into(),
                    },
                ),
                (
                    "a.yaml".into(),
                    "Deployment apps/a".into(),
                    Change {
                        old: "3".into(),
                        new: "4".into(),
                        setter: "apps:a".into(),
                    },
                ),
            ],
            values: [("env".to_string(), "prod".to_string())].into(),
        }
    }

    #[test]
    fn renders_the_upstream_data() {
        let t = "{{ .Values.env }}: {{ len .Changed.Changes }} change(s)\n{{ range $file, $objs := .Changed.FileChanges -}}\n{{ $file }}:{{ range $obj, $ch := $objs }} {{ $obj }}{{ range $ch }} {{ .OldValue }}->{{ .NewValue }}{{ end }}{{ end }}\n{{ end }}{{ if .Changed.Changes }}yes{{ else }}no{{ end }}{{/* c */}}";
        assert_eq!(
            render(t, &data()).unwrap(),
            "prod: 2 change(s)\na.yaml: Deployment apps/a 3->4\nb.yaml: Deployment apps/b 1->2\nyes"
        );
    }

    #[test]
    fn errors_are_reported() {
        assert!(render("{{ .Nope }}", &data())
            .unwrap_err()
            .contains("can't evaluate field Nope"));
        assert!(render("{{ range .Changed.Changes }}", &data()).is_err());
        assert!(render("{{ .AutomationObject", &data()).is_err());
        assert!(render("{{ printf \"%s\" .AutomationObject }}", &data()).is_err());
        assert_eq!(
            render("{{ .Values.missing }}", &data()).unwrap(),
            "<no value>"
        );
    }
}
