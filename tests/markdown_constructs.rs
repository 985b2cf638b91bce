//! Regression fixtures for the Markdown and Pandoc constructs the real-world
//! corpus (`tests/realworld/`) showed being misread: one test per class of
//! false positive, each with a text written for it here, and each checking
//! that the construct is read as expected where it matters (notes, code).

use aam::checks::{self, CheckConfig};
use aam::model::{BlockKind, Document, ModelConfig};

fn doc(text: &str) -> Document {
    Document::parse(text, &ModelConfig::default())
}

/// The codes of the findings on `text`, in order.
fn codes(text: &str) -> Vec<&'static str> {
    checks::check(&doc(text), &CheckConfig::default()).iter().map(|d| d.rule.code).collect()
}

fn labels(doc: &Document) -> Vec<String> {
    doc.references.iter().map(|r| r.label.to_string()).collect()
}

#[test]
fn link_definitions_are_not_notes_and_their_labels_are_links() {
    let text = "# Changes\n\n- Fixed the parser in PR [12].\n- Added a flag, by @someone in [#13][13].\n\
                - See [the guide][20] for the rest.\n\n[12]: https://example.com/pull/12\n\
                [13]: https://example.com/pull/13 \"PR 13\"\n[20]: <https://example.com/guide>\n";
    let d = doc(text);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    assert!(d.references.is_empty(), "{:?}", labels(&d));
    assert!(d.blocks.iter().any(|b| b.kind == BlockKind::LinkDefinition));
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn a_note_with_a_link_and_words_is_still_a_note() {
    let text = "The pier opened in 2011.[1]\n\n[1]: Harbour Times, 2011, https://example.com/pier\n";
    let d = doc(text);
    assert_eq!(d.notes.len(), 1);
    assert_eq!(labels(&d), ["1"]);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn reference_style_links_are_not_citations() {
    let text = "Read [the report][3], [4][notes] and [5][] today.\nBoth sources agree.[1][2]\n\n[1] A source, 2020\n[2] Another source, 2021\n";
    let d = doc(text);
    assert_eq!(labels(&d), ["1", "2"]);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn link_definition_paragraphs_are_not_prose() {
    let text = "[![ci badge]][ci link] [![docs badge]][docs link]\n\n\
                [ci badge]: https://example.com/ci.svg\n[ci link]: https://example.com/ci\n\
                [docs badge]: https://example.com/docs.svg\n[docs link]: https://example.com/docs\n";
    let d = doc(text);
    assert!(d.sentence_at(text.find("[ci badge]:").unwrap()).is_none(), "{:?}", d.sentences);
    assert!(d.sentence_at(text.find("[docs link]:").unwrap()).is_none(), "{:?}", d.sentences);
}

#[test]
fn fences_inside_list_items_quotes_and_notes_are_code() {
    let text = "- Pass the sizes as a list:\n\n  ```rust\n  #[bench(args = [1, 2, 4, 8])]\n  fn sizes() {}\n\n  \
                let x = [16, 32];\n  ```\n\n> Quoted code:\n>\n> ```toml\n> features = [\"a\"] # [3]\n> ```\n\n\
                A claim.[^src]\n\n[^src]: The source, with its record:\n    ```json\n    {\"date-parts\": [[2022, 12, 31]]}\n    ```\n";
    let d = doc(text);
    assert_eq!(labels(&d), ["^src"]);
    assert_eq!(d.notes.len(), 1);
    for needle in ["#[bench", "let x", "features =", "date-parts"] {
        let at = text.find(needle).unwrap();
        assert!(d.in_code_or_comment(at), "{needle} is not code");
        assert!(d.sentence_at(at).is_none(), "{needle} is in a sentence");
    }
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn indented_code_blocks_are_code_but_list_continuations_are_prose() {
    let text = "Run it like this:\n\n    aam check [1, 2] --select AAM001\n    aam check [3]\n\n\
                - An item.\n\n    Its second paragraph is prose, cited.[1]\n\n[1] A source, 2020\n";
    let d = doc(text);
    assert_eq!(labels(&d), ["1"]);
    let code = text.find("aam check").unwrap();
    assert!(d.in_code_or_comment(code));
    let prose = text.find("Its second").unwrap();
    assert!(d.sentence_at(prose).is_some());
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn html_blocks_and_pre_elements_are_not_prose() {
    let text = "<div class=\"note\">\nThe same words stand here, four times over.[9]\n</div>\n\n<Intro>\n\n\
                <pre>\nThe same words stand here, four times over.\n\nThe same words stand here, four times over.\n</pre>\n\n\
                The same words stand here, four times over.\n";
    let d = doc(text);
    assert!(d.references.is_empty(), "{:?}", labels(&d));
    assert_eq!(d.sentences.len(), 1, "{:?}", d.sentences);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn table_cells_are_not_sentences_but_their_references_are_citations() {
    let text = "| Option | Meaning of the option in this tool |\n| --- | --- |\n\
                | `a` | Turns the feature on for every file.[^t] |\n| `b` | Turns the feature on for every file. |\n\n\
                [^t]: The manual, 2020\n";
    let d = doc(text);
    assert_eq!(labels(&d), ["^t"]);
    assert!(d.sentences.iter().all(|s| s.context == BlockKind::Note), "{:?}", d.sentences);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn a_note_continues_on_indented_paragraphs() {
    let text = "A claim.[^long] Another.[^late]\n\n[^long]: The first paragraph of the note.\n\n    \
                The second paragraph of the note, still the note.\n\n[^late]:\n    The text starts on the next line.\n";
    let d = doc(text);
    assert_eq!(d.notes.len(), 2);
    assert!(d.notes[0].text.contains("still the note"), "{:?}", d.notes[0].text);
    assert!(d.notes[1].text.contains("next line"), "{:?}", d.notes[1].text);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn a_notes_list_written_as_list_items_defines_the_notes() {
    let text = "As Smith showed [1] and Jones confirmed [2].\n\n## References\n\n\
                - **[1]** Smith, “On piers”, 2011.\n- [2] Jones, “Piers again”, 2015.\n";
    let d = doc(text);
    assert_eq!(d.notes.len(), 2, "{:?}", d.notes);
    assert_eq!(labels(&d), ["1", "2"]);
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn repeats_are_not_read_in_links_code_or_markup() {
    // Link-only lines, and lines that differ only in a link target, a code
    // name, a handle or an identifier, are not repeats; math is not words.
    let text = "# Index\n\n[Back to the table of contents](#top)\n\n[Back to the table of contents](#top)\n\n\
                ## One\n\nThe documentation for this function is on [the reference pages](https://example.com/a).\n\n\
                The documentation for this function is on [the reference pages](https://example.com/b).\n\n\
                Returns the current value of the `alpha_count` counter right away.\n\n\
                Returns the current value of the `beta_count` counter right away.\n\n\
                Thanks to new contributor @alice for contributing to this release!\n\n\
                Thanks to new contributor @bob for contributing to this release!\n\n\
                See the opt.prof option documentation for usage details.\n\n\
                See the opt.stats_print option documentation for usage details.\n\n\
                $$ \\sum_i S_i \\mathrm{E}[I_i] \\frac{1}{\\mathrm{E}[I_i]} $$\n\n\
                $$ \\sum_i S_i I_i \\frac{1}{\\mathrm{E}[I_i]} $$\n";
    assert_eq!(codes(text), Vec::<&str>::new());
}

#[test]
fn near_duplicates_are_looked_for_in_the_section_and_not_between_items_of_a_list() {
    let text = "## 1.1\n\n- Optimize the 128-bit atomics on the x86 targets.\n\n## 1.0\n\n\
                - Optimize the 128-bit atomic stores on the x86 targets.\n\
                - Optimize the 128-bit atomic loads on the x86 targets.\n\n\
                The parser reads every construct of the language in one pass.\n\
                The parser reads each construct of the language in a single pass.\n";
    assert_eq!(codes(text), ["AAM102"]);
}

#[test]
fn other_tools_markup_is_tolerated() {
    // Liquid and Hugo shortcodes, heading attributes, emphasis around
    // markers, Pandoc inline notes, TOML front matter: no ERROR node, no
    // finding, and the references around them still read.
    let text = "+++\ntitle = \"A post\"\ndate = 2024-03-14\n+++\n\n## Costs {#costs}\n\n\
                {% include figure.html src=\"a.png\" %}\n\n{{< figure src=\"b.png\" >}}\n\n\
                The pier opened in 2011.*[1]* It was extended.**[^ext]** A note inline.^[Written here, 2020.]\n\n\
                Math like $x^2 + [3]$ stays math.\n\n[1] Harbour Times, 2011\n[^ext]: Harbour Times, 2015\n";
    assert!(!aam::syntax::has_errors(&aam::syntax::parse(text)));
    let d = doc(text);
    for needle in ["title =", "include figure", "figure src"] {
        assert!(d.sentence_at(text.find(needle).unwrap()).is_none(), "{needle} is read as prose");
    }
    assert!(labels(&d).starts_with(&["1".to_string(), "^ext".to_string()]), "{:?}", labels(&d));
    assert_eq!(codes(text), Vec::<&str>::new());
}
