//! Message templates of the catalog: text with fields in braces (`{areas}`), read once when the
//! catalog is loaded so that a typo in a field is caught then, not while an alert is going out.
//!
//! A line with a field that is empty for this alert is left out whole, so that 「開設避難所:
//! {shelters}」 disappears when no shelter is open instead of ending in nothing.

/// A field a template can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `{kind}`: the kind's name in the template's language (警戒レベル4 避難指示).
    Kind,
    /// `{areas}`: the target's areas, with their hazard zones where the alert names some.
    Areas,
    /// `{shelters}`: the opened shelters (避難所), as staff wrote their names.
    Shelters,
    /// `{time}`: when the information was issued, in Asia/Tokyo, written for the language.
    Time,
    /// `{text}`: the free text staff added, in this language or else in Japanese.
    Text,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 5] = [
        Field::Kind,
        Field::Areas,
        Field::Shelters,
        Field::Time,
        Field::Text,
    ];

    /// The name between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Areas => "areas",
            Field::Shelters => "shelters",
            Field::Time => "time",
            Field::Text => "text",
        }
    }
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Field(Field),
    LineEnd,
}

/// What is wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateProblem {
    /// `{name}` with a name that is not a [`Field`].
    UnknownField(String),
    /// A `{` with no `}` after it.
    Unclosed,
    /// A `}` with no `{` before it.
    StrayClose,
}

/// A template, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Reads a template.
    pub fn parse(text: &str) -> Result<Template, TemplateProblem> {
        let mut pieces = Vec::new();
        for (number, line) in text.split('\n').enumerate() {
            if number > 0 {
                pieces.push(Piece::LineEnd);
            }
            let mut rest = line;
            while let Some(open) = rest.find(['{', '}']) {
                let (literal, from_brace) = rest.split_at(open);
                if from_brace.starts_with('}') {
                    return Err(TemplateProblem::StrayClose);
                }
                push_literal(&mut pieces, literal);
                let close = from_brace.find('}').ok_or(TemplateProblem::Unclosed)?;
                let name = from_brace.get(1..close).unwrap_or_default();
                let field = Field::ALL
                    .into_iter()
                    .find(|field| field.name() == name)
                    .ok_or_else(|| TemplateProblem::UnknownField(name.to_owned()))?;
                pieces.push(Piece::Field(field));
                rest = from_brace.get(close + 1..).unwrap_or_default();
            }
            push_literal(&mut pieces, rest);
        }
        Ok(Template { pieces })
    }

    /// Whether the template uses `field`.
    pub fn uses(&self, field: Field) -> bool {
        self.pieces.contains(&Piece::Field(field))
    }

    /// The text with every field filled by `value`; lines with an empty field are left out.
    pub fn fill(&self, value: impl Fn(Field) -> String) -> String {
        let mut out = String::new();
        let mut line = String::new();
        let mut line_has_empty_field = false;
        let mut first_line = true;
        let mut finish = |line: &mut String, empty: &mut bool| {
            if !*empty {
                if !first_line {
                    out.push('\n');
                }
                out.push_str(line);
                first_line = false;
            }
            line.clear();
            *empty = false;
        };
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => line.push_str(text),
                Piece::Field(field) => {
                    let text = value(*field);
                    line_has_empty_field |= text.trim().is_empty();
                    line.push_str(&text);
                }
                Piece::LineEnd => finish(&mut line, &mut line_has_empty_field),
            }
        }
        finish(&mut line, &mut line_has_empty_field);
        out.trim().to_owned()
    }
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if !text.is_empty() {
        pieces.push(Piece::Literal(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(field: Field) -> String {
        match field {
            Field::Kind => "避難指示".into(),
            Field::Areas => "西条町".into(),
            _ => String::new(),
        }
    }

    #[test]
    fn fields_are_filled_and_lines_with_empty_fields_left_out() {
        let template =
            Template::parse("【{kind}】{areas}\n避難所: {shelters}\n\n直ちに避難").unwrap();
        assert!(template.uses(Field::Shelters) && !template.uses(Field::Time));
        assert_eq!(template.fill(values), "【避難指示】西条町\n\n直ちに避難");
    }

    #[test]
    fn broken_templates_are_refused() {
        assert_eq!(
            Template::parse("{area}").unwrap_err(),
            TemplateProblem::UnknownField("area".into())
        );
        assert_eq!(
            Template::parse("a {kind").unwrap_err(),
            TemplateProblem::Unclosed
        );
        assert_eq!(
            Template::parse("a } b").unwrap_err(),
            TemplateProblem::StrayClose
        );
        assert_eq!(
            Template::parse("{kind}\n{").unwrap_err(),
            TemplateProblem::Unclosed
        );
    }
}
