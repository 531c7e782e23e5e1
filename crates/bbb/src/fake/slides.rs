//! The presentation module `create` may carry as an XML body:
//! `<modules><module name="presentation"><document filename="x.pdf">BASE64</document>` or
//! `<document url="https://…" filename="x.pdf"/>`.

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::Deserialize;

use super::Document;

#[derive(Deserialize)]
struct Modules {
    #[serde(default)]
    module: Vec<Module>,
}

#[derive(Deserialize)]
struct Module {
    #[serde(rename = "@name", default)]
    name: String,
    #[serde(default)]
    document: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    #[serde(rename = "@filename", default)]
    filename: Option<String>,
    /// BBB 2.6+ also accepts `name` for the file name.
    #[serde(rename = "@name", default)]
    name: Option<String>,
    #[serde(rename = "@url", default)]
    url: Option<String>,
    #[serde(rename = "$text", default)]
    content: Option<String>,
}

/// The documents of the presentation module. Stricter than BBB (which fails later, while
/// converting): a body that is not the module XML, a document without a name, or inline content
/// that is not base64 is refused, so a client bug shows in the test that caused it.
pub fn parse(xml: &str) -> Result<Vec<Document>, String> {
    let modules: Modules = quick_xml::de::from_str(xml)
        .map_err(|_| "the body is not a <modules> document".to_owned())?;
    let mut out = Vec::new();
    for doc in modules
        .module
        .into_iter()
        .filter(|m| m.name == "presentation")
        .flat_map(|m| m.document)
    {
        let Some(filename) = doc.filename.or(doc.name).filter(|f| !f.trim().is_empty()) else {
            return Err("a document has no filename".into());
        };
        let content: String = doc
            .content
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let size = if content.is_empty() {
            if doc.url.is_none() {
                return Err(format!("{filename} has neither content nor url"));
            }
            0
        } else {
            STANDARD
                .decode(content.as_bytes())
                .map_err(|_| format!("{filename} is not base64"))?
                .len()
        };
        out.push(Document {
            filename,
            size,
            url: doc.url,
        });
    }
    Ok(out)
}
