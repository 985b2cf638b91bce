//! Completion of citation keys on a bibliography of 10,000 entries (run by
//! hand; see docs/performance.md):
//!
//! ```sh
//! cargo bench --bench citations
//! ```
//!
//! `all_keys`: every key, unlimited (`@` typed, limit 0, documentation on
//! resolve); `limited`: the default list of 100 with their documentation;
//! `prefix`: after `@smith12`. Parsing the file is
//! measured too (`parse_bib`), once per change of the file in the server.

use std::sync::Arc;

use aam::ide::citations;
use aam::ide::completion::{CompletionConfig, Docs};
use aam::model::bibliography::{Library, Source};
use aam::model::{Document, ModelConfig};

fn main() {
    divan::main();
}

const N_ENTRIES: usize = 10_000;

fn bib() -> String {
    let names = ["smith", "jones", "garcia", "okafor", "lindqvist", "tanaka", "novak", "haddad"];
    let mut out = String::new();
    for idx in 0..N_ENTRIES {
        let name = names[idx % names.len()];
        out.push_str(&format!(
            "@article{{{name}{idx},\n  author = {{{name}, Ann and Other, Bo}},\n  title = {{On Harbours, Part {idx}}},\n  journaltitle = {{Port Studies}},\n  date = {{{}-0{}}},\n  doi = {{10.5555/ps.{idx}}},\n}}\n\n",
            1950 + idx % 70,
            1 + idx % 9
        ));
    }
    out
}

fn document() -> (Document, usize, usize) {
    let source = Source::parse("refs.bib".into(), Arc::from(bib()));
    assert_eq!(source.entries.len(), N_ENTRIES);
    let library = Arc::new(Library::new(vec![Arc::new(source)], Vec::new()));
    let text = "---\nbibliography: refs.bib\n---\nAs shown [@ and [@smith12\n";
    let doc = Document::parse(text, &ModelConfig::default()).with_library(library);
    let bare = text.find("[@ ").unwrap() + 2;
    let prefix = text.find("[@smith12").unwrap() + "[@smith12".len();
    (doc, bare, prefix)
}

#[divan::bench(sample_count = 20)]
fn parse_bib(bencher: divan::Bencher<'_, '_>) {
    let text: Arc<str> = Arc::from(bib());
    bencher.bench(|| Source::parse("refs.bib".into(), Arc::clone(&text)).entries.len());
}

#[divan::bench]
fn all_keys(bencher: divan::Bencher<'_, '_>) {
    let (doc, bare, _) = document();
    let config = CompletionConfig { docs: Docs::Lazy, limit: 0 };
    bencher.bench(|| citations::completion(&doc, bare, config).map(|c| c.items.len()));
}

#[divan::bench]
fn limited(bencher: divan::Bencher<'_, '_>) {
    let (doc, bare, _) = document();
    let config = CompletionConfig { docs: Docs::Eager, limit: 100 };
    bencher.bench(|| citations::completion(&doc, bare, config).map(|c| c.items.len()));
}

#[divan::bench]
fn prefix(bencher: divan::Bencher<'_, '_>) {
    let (doc, _, prefix) = document();
    let config = CompletionConfig { docs: Docs::Eager, limit: 100 };
    bencher.bench(|| citations::completion(&doc, prefix, config).map(|c| c.items.len()));
}
