//! Reading CAP 1.2 XML: quick-xml's namespace-aware reader builds a small tree, and the tree is
//! checked element by element against what CAP 1.2 requires, so that a bad file is refused with
//! the element at fault rather than half imported.

use jiff::Timestamp;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::cap::{CAP_NAMESPACE, CapAlert, CapArea, CapInfo, NameValue};
use super::cap_error::CapError;
use super::cap_values::{Category, Certainty, MsgType, Scope, Severity, Status, Urgency};

/// An element: whether it is in CAP's namespace, its local name, its text, its children.
#[derive(Debug, Default)]
struct Node {
    in_cap: bool,
    name: String,
    namespace: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    /// The CAP children named `name`.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children
            .iter()
            .filter(move |c| c.in_cap && c.name == name)
    }

    /// The trimmed text of the first CAP child named `name`.
    fn optional(&self, name: &str) -> Option<String> {
        self.all(name).next().map(|c| c.text.trim().to_owned())
    }

    /// The same, refused when missing or empty.
    fn required(&self, name: &str, path: &'static str) -> Result<String, CapError> {
        self.optional(name)
            .filter(|t| !t.is_empty())
            .ok_or(CapError::Missing(path))
    }
}

fn tree(xml: &str) -> Result<Node, CapError> {
    let not_xml = |e: &dyn std::fmt::Display| CapError::NotXml(e.to_string());
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let (namespace, event) = reader.read_resolved_event().map_err(|e| not_xml(&e))?;
        let namespace = match namespace {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.0).into_owned(),
            _ => String::new(),
        };
        let open = |start: &quick_xml::events::BytesStart<'_>| Node {
            in_cap: namespace == CAP_NAMESPACE,
            name: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
            namespace: namespace.clone(),
            ..Node::default()
        };
        let mut close = |node: Node, stack: &mut Vec<Node>| match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => root = root.take().or(Some(node)),
        };
        match event {
            Event::Start(start) => stack.push(open(&start)),
            Event::Empty(start) => close(open(&start), &mut stack),
            Event::End(_) => {
                let node = stack
                    .pop()
                    .ok_or_else(|| CapError::NotXml("unexpected end tag".into()))?;
                close(node, &mut stack);
            }
            Event::Text(text) => {
                let text = text.xml10_content().map_err(|e| not_xml(&e))?;
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| not_xml(&e))?;
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| not_xml(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference.decode().map_err(|e| not_xml(&e))?;
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| CapError::NotXml(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                if let Some(node) = stack.last_mut() {
                    node.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(CapError::NotXml(
            "the document ends inside an element".into(),
        ));
    }
    root.ok_or_else(|| CapError::NotXml("no element".into()))
}

fn value<T>(
    node: &Node,
    name: &str,
    path: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, CapError> {
    let text = node.required(name, path)?;
    parse(&text).ok_or(CapError::BadValue {
        element: path,
        value: text,
    })
}

/// Reads CAP's dateTime: `YYYY-MM-DDThh:mm:ss±hh:mm`, no `Z`, no fractions (the schema's pattern).
fn date_time(text: &str, path: &'static str) -> Result<Timestamp, CapError> {
    let bad = || CapError::BadDateTime {
        element: path,
        value: text.to_owned(),
    };
    let shape_ok = text.len() == 25
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 | 22 => b == b':',
            19 => b == b'+' || b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(bad());
    }
    text.parse::<Timestamp>().map_err(|_| bad())
}

/// An identifier or sender: CAP forbids spaces, commas and `<`/`&` in them, which would break
/// `<references>`.
fn token(node: &Node, name: &str, path: &'static str) -> Result<String, CapError> {
    let text = node.required(name, path)?;
    if text.contains(|c: char| c.is_whitespace() || c == ',' || c == '<' || c == '&') {
        return Err(CapError::BadValue {
            element: path,
            value: text,
        });
    }
    Ok(text)
}

fn pairs(node: &Node, name: &str) -> Vec<NameValue> {
    node.all(name)
        .map(|pair| NameValue {
            name: pair.optional("valueName").unwrap_or_default(),
            value: pair.optional("value").unwrap_or_default(),
        })
        .collect()
}

fn info(node: &Node) -> Result<CapInfo, CapError> {
    let categories = node
        .all("category")
        .map(|c| {
            let text = c.text.trim();
            Category::parse(text).ok_or(CapError::BadValue {
                element: "info/category",
                value: text.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if categories.is_empty() {
        return Err(CapError::Missing("info/category"));
    }
    let areas = node
        .all("area")
        .map(|area| {
            Ok(CapArea {
                area_desc: area.required("areaDesc", "info/area/areaDesc")?,
                geocodes: pairs(area, "geocode"),
            })
        })
        .collect::<Result<Vec<_>, CapError>>()?;
    Ok(CapInfo {
        language: node
            .optional("language")
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "en-US".into()),
        categories,
        event: node.required("event", "info/event")?,
        urgency: value(node, "urgency", "info/urgency", Urgency::parse)?,
        severity: value(node, "severity", "info/severity", Severity::parse)?,
        certainty: value(node, "certainty", "info/certainty", Certainty::parse)?,
        effective: node
            .optional("effective")
            .map(|t| date_time(&t, "info/effective"))
            .transpose()?,
        sender_name: node.optional("senderName"),
        headline: node.optional("headline"),
        description: node.optional("description"),
        instruction: node.optional("instruction"),
        parameters: pairs(node, "parameter"),
        areas,
    })
}

/// Reads and checks a CAP 1.2 `<alert>`.
pub fn parse(xml: &str) -> Result<CapAlert, CapError> {
    let root = tree(xml)?;
    if root.name != "alert" {
        return Err(CapError::WrongRoot(root.name));
    }
    if !root.in_cap {
        return Err(CapError::WrongNamespace(root.namespace));
    }
    let msg_type = value(&root, "msgType", "msgType", MsgType::parse)?;
    let references = root.optional("references").filter(|r| !r.is_empty());
    let alert = CapAlert {
        identifier: token(&root, "identifier", "identifier")?,
        sender: token(&root, "sender", "sender")?,
        sent: date_time(&root.required("sent", "sent")?, "sent")?,
        status: value(&root, "status", "status", Status::parse)?,
        msg_type,
        scope: value(&root, "scope", "scope", Scope::parse)?,
        references,
        infos: root.all("info").map(info).collect::<Result<_, _>>()?,
    };
    if matches!(alert.msg_type, MsgType::Update | MsgType::Cancel) && alert.references.is_none() {
        return Err(CapError::MissingReferences);
    }
    Ok(alert)
}
