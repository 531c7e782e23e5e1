//! Form values as browsers post them.
//!
//! A multi-field form reaches its server function as one struct, flattened into the function's
//! arguments (`#[server(flatten)]`), so the wire format stays one field per input. Serde buffers a
//! flattened struct's values before it reads them, and a query string cannot say whether `12` is
//! a number or text, so every buffered value is a string. The helpers here read numbers from such
//! strings, and from real numbers too (JSON and the browser's own serializer send those).
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Form {
//!     #[serde(deserialize_with = "domain::form::number")]
//!     server_id: i32,
//!     #[serde(default, deserialize_with = "domain::form::numbers")]
//!     course_ids: Option<Vec<i32>>,
//! }
//! ```

use std::{fmt, marker::PhantomData, str::FromStr};

use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// One number, from a string (`"12"`, surrounding spaces allowed) or a number.
pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    d.deserialize_any(NumberVisitor(PhantomData))
}

/// A list of numbers (`ids[]=1&ids[]=2`); an absent field is `None` with `#[serde(default)]`.
pub fn numbers<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    d.deserialize_option(OptionVisitor(PhantomData))
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T> NumberVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn parse<E: de::Error>(v: &str) -> Result<T, E> {
        v.trim().parse().map_err(E::custom)
    }
}

impl<'de, T> Visitor<'de> for NumberVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Self::parse(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Self::parse(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Self::parse(&v.to_string())
    }
}

/// One element of [`numbers`]: a number read the lenient way.
struct Lenient<T>(T);

impl<'de, T> de::Deserialize<'de> for Lenient<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        number(d).map(Lenient)
    }
}

struct SeqVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for SeqVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of numbers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(Lenient(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(out)
    }

    // A single `ids=3` (no brackets) is a list of one, as a form with one checkbox posts it.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        NumberVisitor::<T>::parse(v).map(|n| vec![n])
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for OptionVisitor<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of numbers")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(SeqVisitor(PhantomData)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Inner {
        #[serde(deserialize_with = "super::number")]
        server_id: i32,
        #[serde(default, deserialize_with = "super::numbers")]
        course_ids: Option<Vec<i32>>,
        #[serde(default)]
        name: String,
    }

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Outer {
        id: i32,
        #[serde(flatten)]
        inner: Inner,
    }

    fn from_json(v: serde_json::Value) -> Result<Outer, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn numbers_inside_a_flattened_struct_are_read_from_strings() {
        let o = from_json(serde_json::json!({
            "id": 4, "server_id": " 7 ", "course_ids": ["1", "3"], "name": "Maths"
        }))
        .unwrap();
        assert_eq!(
            o,
            Outer {
                id: 4,
                inner: Inner {
                    server_id: 7,
                    course_ids: Some(vec![1, 3]),
                    name: "Maths".into()
                }
            }
        );
    }

    #[test]
    fn a_form_post_decodes_and_the_browsers_own_encoding_round_trips() {
        let posted = "id=4&server_id=7&course_ids[]=1&course_ids[]=3&name=Maths";
        let o: Outer = serde_qs::from_str(posted).unwrap();
        assert_eq!(o.inner.course_ids, Some(vec![1, 3]));
        assert_eq!(o.inner.server_id, 7);
        // The island serializes the struct again before it posts it (`weekdays[0]=1` style).
        let again: Outer = serde_qs::from_str(&serde_qs::to_string(&o).unwrap()).unwrap();
        assert_eq!(again, o);
        let none = Outer {
            id: 1,
            inner: Inner {
                server_id: 2,
                course_ids: None,
                name: String::new(),
            },
        };
        let again: Outer = serde_qs::from_str(&serde_qs::to_string(&none).unwrap()).unwrap();
        assert_eq!(again, none);
    }

    #[test]
    fn real_numbers_are_read_too() {
        let o = from_json(serde_json::json!({"id": 1, "server_id": 2, "course_ids": [5]})).unwrap();
        assert_eq!(o.inner.server_id, 2);
        assert_eq!(o.inner.course_ids, Some(vec![5]));
    }

    #[test]
    fn an_absent_list_is_none_and_a_single_value_is_a_list_of_one() {
        let o = from_json(serde_json::json!({"id": 1, "server_id": "2"})).unwrap();
        assert_eq!(o.inner.course_ids, None);
        let o =
            from_json(serde_json::json!({"id": 1, "server_id": "2", "course_ids": "9"})).unwrap();
        assert_eq!(o.inner.course_ids, Some(vec![9]));
    }

    #[test]
    fn text_where_a_number_belongs_is_an_error_not_a_default() {
        let e = from_json(serde_json::json!({"id": 1, "server_id": "two"})).unwrap_err();
        assert!(e.to_string().contains("invalid digit"), "{e}");
        let e = from_json(serde_json::json!({"id": 1, "server_id": "1", "course_ids": ["1", "x"]}))
            .unwrap_err();
        assert!(e.to_string().contains("invalid digit"), "{e}");
    }
}
