//! OASIS CAP 1.2 (Common Alerting Protocol), the XML that Japan's L-Alert (災害情報共有システム)
//! and JMA publish alerts in: an alert is written out as CAP for those systems
//! ([`CapAlert::from_alert`], [`CapAlert::to_xml`]) and a CAP file read in starts a draft
//! ([`parse`], [`super::cap_import`]).
//!
//! Only what the portal uses is modelled: the alert's header, one `<info>` per language, and
//! `<area>` by description and geocode. The portal's own facts ride in `<parameter>` and
//! `<geocode>` pairs named `shimin:…`, so that its own CAP reads back to the same draft.

use jiff::Timestamp;
use quick_xml::escape::escape;

use super::areas::Areas;
pub use super::cap_parse::parse;
pub use super::cap_values::{Category, Certainty, MsgType, Scope, Severity, Status, Urgency};
use super::catalog::Catalog;
use super::compose::{AlertDraft, ComposedAlert, area_names};
use super::targeting::{AlertTarget, TargetZones};

/// CAP 1.2's XML namespace.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// `<parameter>` naming the catalog kind.
pub const PARAM_KIND: &str = "shimin:kind";
/// `<parameter>` naming an opened shelter (one per shelter).
pub const PARAM_SHELTER: &str = "shimin:shelter";
/// `<parameter>` holding the free text staff added, in the `<info>`'s language.
pub const PARAM_TEXT: &str = "shimin:text";
/// `<geocode>` holding an [`super::AreaId`].
pub const GEOCODE_AREA: &str = "shimin:area";
/// `<geocode>` holding the hazard zone numbers an area alert is for, space-separated.
pub const GEOCODE_ZONES: &str = "shimin:zones";

/// A `<valueName>`/`<value>` pair (`<parameter>`, `<geocode>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameValue {
    /// `<valueName>`.
    pub name: String,
    /// `<value>`.
    pub value: String,
}

impl NameValue {
    fn new(name: &str, value: impl Into<String>) -> NameValue {
        NameValue {
            name: name.to_owned(),
            value: value.into(),
        }
    }
}

/// An `<area>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapArea {
    /// `<areaDesc>`: the area in words.
    pub area_desc: String,
    /// `<geocode>`s.
    pub geocodes: Vec<NameValue>,
}

/// An `<info>`: the alert in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapInfo {
    /// `<language>` as written (CAP's default is `en-US`).
    pub language: String,
    /// `<category>`s, at least one.
    pub categories: Vec<Category>,
    /// `<event>`: the kind of event (避難指示).
    pub event: String,
    /// `<urgency>`.
    pub urgency: Urgency,
    /// `<severity>`.
    pub severity: Severity,
    /// `<certainty>`.
    pub certainty: Certainty,
    /// `<effective>`: when the information takes effect (発令時刻).
    pub effective: Option<Timestamp>,
    /// `<senderName>`: the city, for people.
    pub sender_name: Option<String>,
    /// `<headline>`.
    pub headline: Option<String>,
    /// `<description>`.
    pub description: Option<String>,
    /// `<instruction>`.
    pub instruction: Option<String>,
    /// `<parameter>`s.
    pub parameters: Vec<NameValue>,
    /// `<area>`s.
    pub areas: Vec<CapArea>,
}

/// A CAP `<alert>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapAlert {
    /// `<identifier>`: unique for the sender.
    pub identifier: String,
    /// `<sender>`: the sender's address.
    pub sender: String,
    /// `<sent>`: written with the +09:00 offset of Asia/Tokyo.
    pub sent: Timestamp,
    /// `<status>`.
    pub status: Status,
    /// `<msgType>`.
    pub msg_type: MsgType,
    /// `<scope>`.
    pub scope: Scope,
    /// `<references>`: `sender,identifier,sent` of the earlier alerts, space-separated.
    pub references: Option<String>,
    /// `<info>`s.
    pub infos: Vec<CapInfo>,
}

/// Who sends a CAP alert and what it is to earlier ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapEnvelope {
    /// `<identifier>`.
    pub identifier: String,
    /// `<sender>` (the disaster office's address).
    pub sender: String,
    /// `<senderName>` (東広島市).
    pub sender_name: String,
    /// `<sent>`.
    pub sent: Timestamp,
    /// `<status>`: `Actual`, or `Exercise` in a drill.
    pub status: Status,
    /// `<msgType>`.
    pub msg_type: MsgType,
    /// `<references>`, for an `Update` or `Cancel`.
    pub references: Option<String>,
}

impl CapAlert {
    /// The CAP alert for a composed alert: one `<info>` per language it has.
    pub fn from_alert(
        envelope: &CapEnvelope,
        draft: &AlertDraft,
        alert: &ComposedAlert,
        catalog: &Catalog,
        areas: &Areas,
    ) -> CapAlert {
        let kind = catalog.kind(&alert.kind);
        let infos = alert
            .texts
            .iter()
            .map(|(language, text)| {
                let mut parameters = vec![NameValue::new(PARAM_KIND, alert.kind.clone())];
                if kind.is_some_and(|kind| !kind.free_form) {
                    parameters.extend(
                        draft
                            .shelters
                            .iter()
                            .map(|s| NameValue::new(PARAM_SHELTER, s.trim())),
                    );
                    if let Some(free) = draft.text.get(language).filter(|t| !t.trim().is_empty()) {
                        parameters.push(NameValue::new(PARAM_TEXT, free.trim()));
                    }
                }
                let cap_areas = match &draft.target {
                    AlertTarget::CityWide => vec![CapArea {
                        area_desc: area_names(&draft.target, language, catalog, areas),
                        geocodes: Vec::new(),
                    }],
                    AlertTarget::Areas(targets) => targets
                        .iter()
                        .map(|target| {
                            let one = AlertTarget::Areas(vec![*target]);
                            let mut geocodes =
                                vec![NameValue::new(GEOCODE_AREA, target.area.to_string())];
                            if let TargetZones::Only(zones) = target.zones {
                                let ids: Vec<String> =
                                    zones.iter().map(|z| z.0.to_string()).collect();
                                geocodes.push(NameValue::new(GEOCODE_ZONES, ids.join(" ")));
                            }
                            CapArea {
                                area_desc: area_names(&one, language, catalog, areas),
                                geocodes,
                            }
                        })
                        .collect(),
                };
                let profile = kind.map(|kind| kind.cap);
                CapInfo {
                    language: language.bcp47().to_owned(),
                    categories: vec![profile.map_or(Category::Safety, |p| p.category)],
                    event: kind
                        .map_or_else(|| alert.kind.clone(), |kind| kind.name(language).to_owned()),
                    urgency: profile.map_or(Urgency::Unknown, |p| p.urgency),
                    severity: profile.map_or(Severity::Unknown, |p| p.severity),
                    certainty: profile.map_or(Certainty::Unknown, |p| p.certainty),
                    effective: Some(draft.issued_at),
                    sender_name: Some(envelope.sender_name.clone()),
                    headline: Some(text.title.clone()),
                    description: Some(text.body.clone()),
                    instruction: None,
                    parameters,
                    areas: cap_areas,
                }
            })
            .collect();
        CapAlert {
            identifier: envelope.identifier.clone(),
            sender: envelope.sender.clone(),
            sent: envelope.sent,
            status: envelope.status,
            msg_type: envelope.msg_type,
            scope: Scope::Public,
            references: envelope.references.clone(),
            infos,
        }
    }

    /// The alert as CAP 1.2 XML, in the schema's element order.
    pub fn to_xml(&self) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.push_str(&format!("<alert xmlns=\"{CAP_NAMESPACE}\">\n"));
        element(&mut xml, 1, "identifier", &self.identifier);
        element(&mut xml, 1, "sender", &self.sender);
        element(&mut xml, 1, "sent", &date_time(self.sent));
        element(&mut xml, 1, "status", self.status.as_str());
        element(&mut xml, 1, "msgType", self.msg_type.as_str());
        element(&mut xml, 1, "scope", self.scope.as_str());
        if let Some(references) = &self.references {
            element(&mut xml, 1, "references", references);
        }
        for info in &self.infos {
            xml.push_str("  <info>\n");
            element(&mut xml, 2, "language", &info.language);
            for category in &info.categories {
                element(&mut xml, 2, "category", category.as_str());
            }
            element(&mut xml, 2, "event", &info.event);
            element(&mut xml, 2, "urgency", info.urgency.as_str());
            element(&mut xml, 2, "severity", info.severity.as_str());
            element(&mut xml, 2, "certainty", info.certainty.as_str());
            if let Some(effective) = info.effective {
                element(&mut xml, 2, "effective", &date_time(effective));
            }
            let optional = [
                ("senderName", &info.sender_name),
                ("headline", &info.headline),
                ("description", &info.description),
                ("instruction", &info.instruction),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    element(&mut xml, 2, name, value);
                }
            }
            for parameter in &info.parameters {
                name_value(&mut xml, 2, "parameter", parameter);
            }
            for area in &info.areas {
                xml.push_str("    <area>\n");
                element(&mut xml, 3, "areaDesc", &area.area_desc);
                for geocode in &area.geocodes {
                    name_value(&mut xml, 3, "geocode", geocode);
                }
                xml.push_str("    </area>\n");
            }
            xml.push_str("  </info>\n");
        }
        xml.push_str("</alert>\n");
        xml
    }
}

/// A CAP dateTime: Asia/Tokyo, seconds, and the `+09:00` offset (CAP forbids `Z`).
pub fn date_time(at: Timestamp) -> String {
    at.to_zoned(crate::clock::tokyo())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn element(xml: &mut String, depth: usize, name: &str, text: &str) {
    xml.push_str(&"  ".repeat(depth));
    xml.push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
}

fn name_value(xml: &mut String, depth: usize, name: &str, pair: &NameValue) {
    xml.push_str(&format!("{}<{name}>\n", "  ".repeat(depth)));
    element(xml, depth + 1, "valueName", &pair.name);
    element(xml, depth + 1, "value", &pair.value);
    xml.push_str(&format!("{}</{name}>\n", "  ".repeat(depth)));
}

#[cfg(test)]
#[path = "cap_tests.rs"]
mod tests;
