//! A plan's Markdown as the HTML of its page: pulldown-cmark renders the prose, the diagrams and
//! Smithy blocks take the place of their fences, links are rewritten for the site, and the whole
//! fragment then goes through ammonia's whitelist: raw HTML in a plan is never trusted (scripts,
//! event handlers, `javascript:` links and styles are removed; comments too). Only markup the
//! whitelist would leave unchanged ([`BlockMarkup::Clean`]) is spliced in afterwards.
//!
//! Ids in the fragment get the prefix `s-` (ammonia adds it to every id, the plan's own raw HTML
//! included), so nothing in a plan can take an id of the page around it.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

/// The prefix of every id inside the prose.
pub(super) const ID_PREFIX: &str = "s-";

/// A heading of the prose, for the page's table of contents.
pub(super) struct Heading {
    /// The element's id (with [`ID_PREFIX`]).
    pub id: String,
    pub level: u8,
    pub title: String,
}

pub(super) struct Prose {
    /// Sanitised HTML.
    pub html: String,
    pub headings: Vec<Heading>,
}

/// The markup that takes the place of a fenced block.
pub(super) enum BlockMarkup {
    /// Markup that goes through the sanitiser with the prose around it. Ids in it are written
    /// without [`ID_PREFIX`], hrefs to them with it.
    Sanitised(String),
    /// Markup that goes through the sanitiser with the prose around it, and what the sanitiser
    /// makes of it there (`sanitised`): when the prose around holds no HTML of the plan, the page
    /// is written without the sanitiser and takes `sanitised` as it is.
    Known { markup: String, sanitised: String },
    /// Markup the sanitiser would give back unchanged (text escaped as its serialiser writes it,
    /// only whitelisted elements and classes, no ids): it is spliced in after the sanitiser,
    /// since highlighted code is the bulk of a page and parsing it again only costs time.
    Clean(String),
}

/// What the page supplies for the prose.
pub(super) trait ProseHost {
    /// The markup that replaces a fenced block whose first content line is `line` (a diagram, a
    /// highlighted Smithy block), or `None` to show the block as code.
    fn block(&self, line: u32, lang: &str, code: &str) -> Option<BlockMarkup>;
    /// The href a link of the plan gets on the page (`None`: the link is dropped, its text
    /// stays). Never called for fragment-only links.
    fn link(&self, destination: &str) -> Option<String>;
    /// The source an image of the plan is shown from, `None` to show its text instead.
    fn image(&self, destination: &str) -> Option<String>;
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);

/// A heading's id as GitHub makes it: lowercased, letters, digits, `-` and `_` kept, spaces as
/// `-`; repeats numbered `-1`, `-2`, ... (so links written for GitHub find their heading).
fn slug(title: &str, seen: &mut HashMap<String, usize>) -> String {
    let base: String = title
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    let count = seen.entry(base.clone()).or_insert(0);
    let slug = if *count == 0 {
        base
    } else {
        format!("{base}-{count}")
    };
    *count += 1;
    slug
}

/// Whether a top-level block before the first section holds the plan's header fields (shown
/// apart on the page).
fn is_header_block(source: &str) -> bool {
    ["**Status:**", "**Owner:**", "**Target Date:**", "| Status"]
        .iter()
        .any(|field| source.contains(field))
}

/// The prose of a plan's Markdown `text`, without its title (the first level-1 heading) and
/// header fields, which the page shows apart.
pub(super) fn render(text: &str, host: &dyn ProseHost) -> Prose {
    let Prepared {
        events,
        own,
        clean,
        headings,
    } = prepare(text, host);
    // Without HTML of the plan there is nothing for the sanitiser to remove: the page is
    // written as it would come out of it, without parsing it again.
    let html = (!text.contains(['\r', '\0']))
        .then(|| written_as_sanitised(&events, &own, &clean, text.len() * 2))
        .flatten()
        .unwrap_or_else(|| sanitise_around(events, clean, text.len() * 2));
    Prose { html, headings }
}

/// The prose's events as the page shows them, before they become HTML.
struct Prepared<'a> {
    events: Vec<Event<'a>>,
    /// The `Html` events [`prepare`] wrote itself, by index in `events`, each with what the
    /// sanitiser makes of it.
    own: Vec<(usize, String)>,
    /// The [`BlockMarkup::Clean`] blocks in order: the index of the placeholder event that holds
    /// the place of each, and its markup.
    clean: Vec<(usize, String)>,
    headings: Vec<Heading>,
}

fn prepare<'a>(text: &'a str, host: &dyn ProseHost) -> Prepared<'a> {
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(text, OPTIONS).into_offset_iter().collect();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset) as u32;

    // Pass 1: every heading's slug, so that fragment links can be checked.
    let mut seen = HashMap::new();
    let mut slugs = Vec::new();
    let mut title: Option<String> = None;
    for (event, _) in &events {
        match event {
            Event::Start(Tag::Heading { .. }) => title = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                slugs.push(slug(&title.take().unwrap_or_default(), &mut seen));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(title) = title.as_mut() {
                    title.push_str(t);
                }
            }
            _ => {}
        }
    }
    let known: HashSet<&str> = slugs.iter().map(String::as_str).collect();

    // Pass 2: the events as the page shows them.
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut headings = Vec::new();
    let mut heading_number = 0;
    let mut depth = 0usize;
    let mut seen_title = false;
    let mut seen_section = false;
    // Skipping the events up to the end of the element opened at this depth.
    let mut skip_to: Option<usize> = None;
    let mut dropped_link = false;
    let mut dropped_image = false;
    let mut heading_text: Option<String> = None;
    let mut clean: Vec<(usize, String)> = Vec::new();
    let mut own: Vec<(usize, String)> = Vec::new();
    let mut index = 0;
    while index < events.len() {
        let (event, range) = &events[index];
        index += 1;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        if let Some(level) = skip_to {
            if depth < level {
                skip_to = None;
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => skip_to = Some(depth),
            Event::Start(Tag::Heading { level, .. }) => {
                let slug = slugs.get(heading_number).cloned().unwrap_or_default();
                heading_number += 1;
                if *level == HeadingLevel::H1 && !seen_title {
                    seen_title = true;
                    skip_to = Some(depth);
                    continue;
                }
                if *level == HeadingLevel::H2 {
                    seen_section = true;
                }
                let level = *level as u8;
                headings.push(Heading {
                    id: format!("{ID_PREFIX}{slug}"),
                    level,
                    title: String::new(),
                });
                heading_text = Some(String::new());
                let id = if slug.starts_with(ID_PREFIX) {
                    slug.clone()
                } else {
                    format!("{ID_PREFIX}{slug}")
                };
                let mut sanitised = format!("<h{level} id=\"");
                push_attribute_value(&mut sanitised, &id);
                sanitised.push_str("\">");
                own.push((out.len(), sanitised));
                out.push(Event::Html(format!("<h{level} id=\"{slug}\">").into()));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let (Some(text), Some(heading)) = (heading_text.take(), headings.last_mut()) {
                    heading.title = text.trim().to_string();
                }
                let end = format!("</h{}>", *level as u8);
                own.push((out.len(), end.clone()));
                out.push(Event::Html(end.into()));
            }
            Event::Start(Tag::Paragraph | Tag::Table(_))
                if depth == 1 && !seen_section && is_header_block(&text[range.clone()]) =>
            {
                skip_to = Some(depth);
            }
            Event::Start(Tag::Table(_)) => {
                own.push((out.len(), "<div class=\"scroll\">".to_string()));
                out.push(Event::Html("<div class=\"scroll\">".into()));
                out.push(event.clone());
            }
            Event::End(TagEnd::Table) => {
                out.push(event.clone());
                own.push((out.len(), "</div>".to_string()));
                out.push(Event::Html("</div>".into()));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split_whitespace().next().unwrap_or("").to_lowercase();
                let mut code = String::new();
                let mut end = index;
                while let Some((Event::Text(t), _)) = events.get(end) {
                    code.push_str(t);
                    end += 1;
                }
                match host.block(line_of(range.start) + 1, &lang, &code) {
                    Some(BlockMarkup::Sanitised(markup)) => {
                        out.push(Event::Html(markup.into()));
                        skip_to = Some(depth);
                    }
                    Some(BlockMarkup::Known { markup, sanitised }) => {
                        own.push((out.len(), sanitised));
                        out.push(Event::Html(markup.into()));
                        skip_to = Some(depth);
                    }
                    Some(BlockMarkup::Clean(markup)) => {
                        clean.push((out.len(), markup));
                        out.push(Event::Html(clean_placeholder("", clean.len() - 1).into()));
                        skip_to = Some(depth);
                    }
                    None => out.push(event.clone()),
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let destination = match dest_url.strip_prefix('#') {
                    Some(fragment) => known
                        .contains(fragment)
                        .then(|| format!("#{ID_PREFIX}{fragment}")),
                    None => host.link(dest_url),
                };
                match destination {
                    Some(destination) => out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: destination.into(),
                        title: title.clone(),
                        id: id.clone(),
                    })),
                    None => dropped_link = true,
                }
            }
            Event::End(TagEnd::Link) if dropped_link => dropped_link = false,
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match host.image(dest_url) {
                Some(source) => out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: source.into(),
                    title: title.clone(),
                    id: id.clone(),
                })),
                None => dropped_image = true,
            },
            Event::End(TagEnd::Image) if dropped_image => dropped_image = false,
            Event::Text(t) | Event::Code(t) => {
                if let Some(heading) = heading_text.as_mut() {
                    heading.push_str(t);
                }
                out.push(event.clone());
            }
            _ => out.push(event.clone()),
        }
    }
    Prepared {
        events: out,
        own,
        clean,
        headings,
    }
}

/// The element that holds the place of the `index`th clean block while the prose is sanitised
/// (`id_prefix` empty), and as it comes out of the sanitiser (`ID_PREFIX`): an empty `pre` with
/// an id survives it wherever it stands.
fn clean_placeholder(id_prefix: &str, index: usize) -> String {
    format!("<pre id=\"{id_prefix}plansmith-clean-{index}\"></pre>")
}

/// The prose's HTML through the sanitiser, with each placeholder then replaced by its `clean`
/// markup (`clean[i]` is the event index of placeholder `i` and its markup). Should a placeholder
/// not come out exactly once (the plan's own HTML wrote the same element, or the sanitiser moved
/// or dropped it), the markup is put in place of the placeholders and sanitised with the rest.
fn sanitise_around(
    mut events: Vec<Event<'_>>,
    clean: Vec<(usize, String)>,
    capacity: usize,
) -> String {
    let to_html = |events: &[Event<'_>]| {
        let mut html = String::with_capacity(capacity);
        pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
        html
    };
    let mut sanitised = SANITISER.clean(&to_html(&events)).to_string();
    if clean.is_empty() {
        return sanitised;
    }
    let placeholders: Vec<String> = (0..clean.len())
        .map(|index| clean_placeholder(ID_PREFIX, index))
        .collect();
    if placeholders
        .iter()
        .all(|placeholder| sanitised.matches(placeholder.as_str()).count() == 1)
    {
        for (placeholder, (_, markup)) in placeholders.iter().zip(&clean) {
            sanitised = sanitised.replacen(placeholder.as_str(), markup, 1);
        }
        return sanitised;
    }
    for (index, markup) in clean {
        events[index] = Event::Html(markup.into());
    }
    SANITISER.clean(&to_html(&events)).to_string()
}

/// Appends an attribute value escaped as the sanitiser's serialiser writes it.
fn push_attribute_value(out: &mut String, value: &str) {
    push_escaped(out, value, true);
}

/// Appends `text` escaped as the sanitiser's serialiser writes it: `&`, `<`, `>` and no-break
/// space, and in an attribute value `"` too.
fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{A0}' => out.push_str("&nbsp;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Whether the sanitiser keeps a link's `href`: an absolute URL of a scheme it allows (all
/// [`PlanProse::link`](super::pages) gives), or a relative one. `None` when it would drop it.
fn kept_href(href: &str) -> Option<()> {
    match url::Url::parse(href) {
        Ok(url) => matches!(url.scheme(), "http" | "https" | "mailto").then_some(()),
        Err(url::ParseError::RelativeUrlWithoutBase) => Some(()),
        Err(_) => None,
    }
}

/// The HTML the sanitiser gives back for `events` (as [`sanitise_around`] hands them to it),
/// written directly, or `None` when the events hold anything this does not know to write as
/// the sanitiser would: HTML of the plan, images, footnotes, an `href` it would drop. What
/// pulldown-cmark writes for each event is parsed by html5ever into the same elements and
/// text, so this writes pulldown-cmark's markup (its line breaks included) with the
/// sanitiser's changes: only whitelisted attributes and classes (table cells lose their
/// `style`), `rel` on links, void elements without `/`, html5ever's escaping. `own` and `clean`
/// give, by event index, the markup this module wrote itself as it comes out of the sanitiser.
fn written_as_sanitised(
    events: &[Event<'_>],
    own: &[(usize, String)],
    clean: &[(usize, String)],
    capacity: usize,
) -> Option<String> {
    let mut out = String::with_capacity(capacity);
    let mut own = own.iter().peekable();
    let mut clean = clean.iter().peekable();
    // pulldown-cmark starts a block on a new line: whether what it wrote last ended one.
    let mut end_newline = true;
    let mut table_head = false;
    for (index, event) in events.iter().enumerate() {
        let block_start = |out: &mut String, end_newline: bool| {
            if !end_newline {
                out.push('\n');
            }
        };
        let written: &str = match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    block_start(&mut out, end_newline);
                    "<p>"
                }
                Tag::Table(_) => "<table>",
                Tag::TableHead => {
                    table_head = true;
                    "<thead><tr>"
                }
                Tag::TableRow => "<tr>",
                Tag::TableCell if table_head => "<th>",
                Tag::TableCell => "<td>",
                Tag::BlockQuote(None) => {
                    block_start(&mut out, end_newline);
                    "<blockquote>\n"
                }
                Tag::CodeBlock(kind) => {
                    block_start(&mut out, end_newline);
                    match kind {
                        CodeBlockKind::Fenced(info) => {
                            let lang = info.split(' ').next().unwrap_or("");
                            if lang.is_empty() {
                                "<pre><code>"
                            } else {
                                // The only class `code` may keep; the attribute stays.
                                let class = format!("language-{lang}");
                                let kept: Vec<&str> = class
                                    .split_ascii_whitespace()
                                    .filter(|class| *class == "language-smithy")
                                    .collect();
                                out.push_str("<pre><code class=\"");
                                out.push_str(&kept.join(" "));
                                "\">"
                            }
                        }
                        CodeBlockKind::Indented => "<pre><code>",
                    }
                }
                Tag::List(Some(1)) => {
                    block_start(&mut out, end_newline);
                    "<ol>\n"
                }
                Tag::List(Some(start)) => {
                    block_start(&mut out, end_newline);
                    out.push_str(&format!("<ol start=\"{start}\">"));
                    "\n"
                }
                Tag::List(None) => {
                    block_start(&mut out, end_newline);
                    "<ul>\n"
                }
                Tag::Item => {
                    block_start(&mut out, end_newline);
                    "<li>"
                }
                Tag::Emphasis => "<em>",
                Tag::Strong => "<strong>",
                Tag::Strikethrough => "<del>",
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                } => {
                    // pulldown-cmark's href, as html5ever reads it back.
                    let mut written = String::new();
                    if *link_type == pulldown_cmark::LinkType::Email {
                        written.push_str("mailto:");
                    }
                    pulldown_cmark_escape::escape_href(&mut written, dest_url).ok()?;
                    let href = written.replace("&#x27;", "'").replace("&amp;", "&");
                    if title.contains(['\r', '\0']) || href.contains(['\r', '\0']) {
                        return None;
                    }
                    kept_href(&href)?;
                    out.push_str("<a href=\"");
                    push_attribute_value(&mut out, &href);
                    if !title.is_empty() {
                        out.push_str("\" title=\"");
                        push_attribute_value(&mut out, title);
                    }
                    "\" rel=\"noopener noreferrer\">"
                }
                _ => return None,
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => "</p>\n",
                TagEnd::Table => "</tbody></table>\n",
                TagEnd::TableHead => {
                    table_head = false;
                    "</tr></thead><tbody>\n"
                }
                TagEnd::TableRow => "</tr>\n",
                TagEnd::TableCell if table_head => "</th>",
                TagEnd::TableCell => "</td>",
                TagEnd::BlockQuote(None) => "</blockquote>\n",
                TagEnd::CodeBlock => "</code></pre>\n",
                TagEnd::List(true) => "</ol>\n",
                TagEnd::List(false) => "</ul>\n",
                TagEnd::Item => "</li>\n",
                TagEnd::Emphasis => "</em>",
                TagEnd::Strong => "</strong>",
                TagEnd::Strikethrough => "</del>",
                TagEnd::Link => "</a>",
                _ => return None,
            },
            Event::Text(text) => {
                push_escaped(&mut out, text, false);
                end_newline = text.ends_with('\n');
                continue;
            }
            Event::Code(text) => {
                out.push_str("<code>");
                push_escaped(&mut out, text, false);
                "</code>"
            }
            Event::Html(raw) => {
                let markup = if own.peek().is_some_and(|(at, _)| *at == index) {
                    own.next().map(|(_, markup)| markup)
                } else if clean.peek().is_some_and(|(at, _)| *at == index) {
                    clean.next().map(|(_, markup)| markup)
                } else {
                    None
                }?;
                out.push_str(markup);
                end_newline = raw.ends_with('\n');
                continue;
            }
            Event::SoftBreak => "\n",
            Event::HardBreak => "<br>\n",
            Event::Rule => {
                block_start(&mut out, end_newline);
                "<hr>\n"
            }
            Event::TaskListMarker(true) => "<input disabled=\"\" type=\"checkbox\" checked=\"\">\n",
            Event::TaskListMarker(false) => "<input disabled=\"\" type=\"checkbox\">\n",
            _ => return None,
        };
        out.push_str(written);
        end_newline = written.ends_with('\n');
    }
    Some(out)
}

/// `html` through the sanitiser alone.
#[cfg(test)]
pub(super) fn sanitised(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// Whether a URL is one a page may show an image from: the site's own SVG files (relative) or
/// the web.
fn is_image_source(url: &str) -> bool {
    url.starts_with("https://")
        || url.starts_with("http://")
        || (url.ends_with(".svg") && !url.contains(':') && !url.starts_with("//"))
}

/// The whitelist, built once: ammonia's defaults (no script, style, event handler or
/// `javascript:` URL), plus what the page's own markup needs: figures, task-list checkboxes, ids
/// (prefixed), and a few classes.
static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> =
    std::sync::LazyLock::new(sanitiser);

fn sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["figure", "figcaption", "input"])
        .add_generic_attributes(["id"])
        .id_prefix(Some(ID_PREFIX))
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_allowed_classes("div", ["scroll", "canvas", "unrendered", "zoom"])
        .add_allowed_classes("figure", ["diagram"])
        .add_allowed_classes("a", ["zoom-open", "zoom-close"])
        .add_allowed_classes("pre", ["smithy"])
        .add_allowed_classes("code", ["language-smithy"])
        .add_allowed_classes("span", super::highlight::CLASSES)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => is_image_source(value).then_some(value.into()),
            ("input", "type") => (value == "checkbox").then_some(value.into()),
            _ => Some(value.into()),
        });
    builder
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    struct Plain;

    impl ProseHost for Plain {
        fn block(&self, _: u32, lang: &str, code: &str) -> Option<BlockMarkup> {
            match lang {
                "mermaid" => Some(BlockMarkup::Sanitised(
                    "<figure class=\"diagram\" id=\"block-1\"></figure>".into(),
                )),
                "smithy" => Some(BlockMarkup::Clean(format!(
                    "<pre class=\"smithy\"><code class=\"language-smithy\">{}</code></pre>",
                    super::super::highlight::smithy(code)
                ))),
                _ => None,
            }
        }
        fn link(&self, destination: &str) -> Option<String> {
            destination
                .starts_with("https://")
                .then(|| destination.to_string())
        }
        fn image(&self, _: &str) -> Option<String> {
            None
        }
    }

    #[test]
    fn headings_get_github_ids_and_the_title_is_left_out() {
        let prose = render(
            "# Title\n\n| **Status:** Draft\n\n## Goals and Non-goals\n\n## Goals and Non-goals\n\nSee [goals](#goals-and-non-goals) and [nothing](#nowhere).\n",
            &Plain,
        );
        assert!(!prose.html.contains("Title"), "{}", prose.html);
        assert!(!prose.html.contains("Status"), "{}", prose.html);
        let ids: Vec<&str> = prose.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["s-goals-and-non-goals", "s-goals-and-non-goals-1"]);
        assert!(prose.html.contains("<h2 id=\"s-goals-and-non-goals-1\">"));
        assert!(prose.html.contains("href=\"#s-goals-and-non-goals\""));
        assert!(!prose.html.contains("nowhere"), "{}", prose.html);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let prose = render(
            "## A\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\" onclick=\"x()\">j</a> [md](javascript:alert(1)) <b style=\"color:red\" id=\"diagnostics\">bold</b><br>\n",
            &Plain,
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "onclick",
            "style=",
            "src=\"x\"",
            "id=\"diagnostics\"",
        ] {
            assert!(!prose.html.contains(bad), "{bad} in {}", prose.html);
        }
        assert!(
            prose.html.contains("<b id=\"s-diagnostics\">bold</b><br>"),
            "{}",
            prose.html
        );
    }

    #[test]
    fn blocks_take_the_place_of_their_fences_and_tables_scroll() {
        let prose = render(
            "## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```mermaid\nflowchart LR\n  A-->B\n```\n\n```text\nkept\n```\n",
            &Plain,
        );
        assert!(
            prose.html.contains("<div class=\"scroll\"><table>"),
            "{}",
            prose.html
        );
        assert!(prose
            .html
            .contains("<figure class=\"diagram\" id=\"s-block-1\"></figure>"));
        assert!(!prose.html.contains("flowchart"));
        assert!(prose.html.contains("kept"));
    }

    /// The page as it was made before clean blocks were spliced: everything sanitised at once.
    fn sanitised_whole(html: &str) -> String {
        SANITISER.clean(html).to_string()
    }

    #[test]
    fn clean_blocks_are_spliced_where_their_fences_were() {
        let text = "## A\n\nBefore <b onclick=\"x()\">b</b>\n\n```smithy\nstructure A { @required a: String }\n```\n\n- item\n\n  ```smithy\n  string B // <i>\n  ```\n\nAfter\n";
        let prose = render(text, &Plain);
        assert!(!prose.html.contains("plansmith-clean"), "{}", prose.html);
        assert!(!prose.html.contains("onclick"), "{}", prose.html);
        let first = prose
            .html
            .find("<span class=\"k\">structure</span>")
            .unwrap();
        let second = prose.html.find("// &lt;i&gt;").unwrap();
        let after = prose.html.find("After").unwrap();
        assert!(first < prose.html.find("<li>").unwrap() && second < after);
        let spliced = prose.html;
        // The same page with the blocks sanitised along with the prose.
        let whole = render_whole(text);
        assert_eq!(spliced, whole);
    }

    /// `render` with every clean block sanitised in place, as the fallback does.
    fn render_whole(text: &str) -> String {
        struct Whole;
        impl ProseHost for Whole {
            fn block(&self, line: u32, lang: &str, code: &str) -> Option<BlockMarkup> {
                Plain.block(line, lang, code).map(|markup| match markup {
                    BlockMarkup::Clean(m)
                    | BlockMarkup::Sanitised(m)
                    | BlockMarkup::Known { markup: m, .. } => BlockMarkup::Sanitised(m),
                })
            }
            fn link(&self, destination: &str) -> Option<String> {
                Plain.link(destination)
            }
            fn image(&self, destination: &str) -> Option<String> {
                Plain.image(destination)
            }
        }
        render(text, &Whole).html
    }

    #[test]
    fn a_placeholder_written_by_the_plan_falls_back_to_sanitising_the_whole() {
        let text = "## A\n\n<pre id=\"plansmith-clean-0\"></pre>\n\n```smithy\nstring A\n```\n";
        let prose = render(text, &Plain);
        assert_eq!(prose.html, render_whole(text));
        assert_eq!(
            prose
                .html
                .matches("<span class=\"k\">string</span>")
                .count(),
            1
        );
        assert!(prose
            .html
            .contains("<pre id=\"s-plansmith-clean-0\"></pre>"));
    }

    /// A host that keeps links of every kind, good and bad, so that the sanitiser's URL check
    /// is met too; diagrams come with their sanitised form.
    struct Permissive;

    impl ProseHost for Permissive {
        fn block(&self, line: u32, lang: &str, code: &str) -> Option<BlockMarkup> {
            match lang {
                "mermaid" => Some(BlockMarkup::Known {
                    markup: format!("<figure class=\"diagram\" id=\"block-{line}\"><a class=\"zoom-open\" href=\"#s-zoom\" title=\"Show\">x</a></figure>"),
                    sanitised: format!("<figure class=\"diagram\" id=\"s-block-{line}\"><a class=\"zoom-open\" href=\"#s-zoom\" title=\"Show\" rel=\"noopener noreferrer\">x</a></figure>"),
                }),
                "unrendered" => Some(BlockMarkup::Sanitised("<figure class=\"diagram\"><pre><code>x</code></pre></figure>".into())),
                _ => Plain.block(line, lang, code),
            }
        }
        fn link(&self, destination: &str) -> Option<String> {
            (!destination.starts_with("drop")).then(|| destination.to_string())
        }
        fn image(&self, destination: &str) -> Option<String> {
            destination
                .starts_with("https://")
                .then(|| destination.to_string())
        }
    }

    /// Markdown made of the constructs plans use, and some they should not.
    fn markdown() -> impl proptest::strategy::Strategy<Value = String> {
        // What the page writes directly, and (rarely, so that most texts are written directly)
        // what sends it through the sanitiser.
        let writable = proptest::sample::select(vec![
            "word",
            " ",
            "*em*",
            "**strong**",
            "~~del~~",
            "`co<de>`",
            "a & b",
            "x < y > z",
            "\"quoted\" 'single'",
            "\u{A0}nbsp",
            "é ✕",
            "  \n",
            "\\\n",
            "\n",
            "[link](https://example.com/a?b=1&c='2' \"T&\\\"t\")",
            "[rel](../x/plan.md#part)",
            "[frag](#a-heading)",
            "[gone](#nowhere)",
            "[drop](drop.md)",
            "[mail](mailto:a@b.c)",
            "<https://auto.link/x>",
            "<who@example.com>",
            "[sp](<a b.md>)",
            "[uni](ü/ß.md)",
            "![alt *x*](local.png)",
            "&amp;&lt;&#39;",
            "[tab](a\tb)",
            "x\u{C}y",
            "s-pre",
        ]);
        let not_writable = proptest::sample::select(vec![
            "[bad](http://[bad)",
            "[js](javascript:alert(1))",
            "![img](https://e.com/i.png \"t\")",
            "<b onclick=\"x()\">raw</b>",
            "<!-- c -->",
            "[^note]",
        ]);
        let inline = proptest::prop_oneof![30 => writable, 1 => not_writable];
        let line = proptest::collection::vec(inline, 1..5).prop_map(|parts| parts.concat());
        let block = proptest::prop_oneof![
            10 => line.clone().prop_map(|l| format!("{l}\n")),
            10 => line.clone().prop_map(|l| format!("## {l}\n")),
            10 => line.clone().prop_map(|l| format!("### S-{l}\n")),
            10 => line.clone()
                .prop_map(|l| format!("- {l}\n- [ ] {l}\n  - [x] nested {l}\n")),
            10 => line.clone()
                .prop_map(|l| format!("3. {l}\n4. two\n\n   {l}\n")),
            10 => line.clone().prop_map(|l| format!("1. {l}\n")),
            10 => line.clone().prop_map(|l| format!("> {l}\n> > deeper\n")),
            10 => line.clone()
                .prop_map(|l| format!("| a | b |\n|:--|:-:|\n| {l} | 2 |\n")),
            10 => line.clone().prop_map(|l| format!("| {l} |\n|--:|\n")),
            10 => line.clone().prop_map(|l| format!("```rust\n{l}\n```\n")),
            10 => line.clone()
                .prop_map(|l| format!("```smithy\nstring A // {l}\n```\n")),
            10 => line.clone()
                .prop_map(|l| format!("- item\n\n  ```smithy\n  string B\n  ```\n  {l}\n")),
            10 => line.clone()
                .prop_map(|l| format!("```mermaid\nflowchart LR\n```\n{l}\n")),
            1 => line.clone()
                .prop_map(|l| format!("```unrendered\nx\n```\n{l}\n")),
            10 => line.clone().prop_map(|l| format!("```\n\n{l}\n```\n")),
            10 => line.clone()
                .prop_map(|l| format!("```smithy\tlanguage-smithy\n{l}\n```\n")),
            10 => line.clone().prop_map(|l| format!("    indented {l}\n")),
            10 => line.clone().prop_map(|l| format!("***\n{l}\n---\n")),
            1 => line.clone().prop_map(|l| format!("[^note]: {l}\n")),
            1 => line.clone().prop_map(|l| format!("<div>{l}</div>\n")),
            10 => line.clone().prop_map(|l| format!("> - {l}\n>\n> ```rust\n> x\n> ```\n")),
            10 => line.clone().prop_map(|l| format!("- a\n\n  > {l}\n\n  | a |\n  |---|\n  | {l} |\n")),
            10 => line.prop_map(|l| format!("Term\n: {l}\n")),
        ];
        proptest::collection::vec(block, 0..8)
            .prop_map(|blocks| format!("# Title\n\n**Status:** Draft\n\n{}", blocks.join("\n")))
    }

    /// The prose's HTML written directly (`None` where it cannot be) and through the
    /// sanitiser.
    fn both_ways(text: &str) -> (Option<String>, String) {
        let prepared = prepare(text, &Permissive);
        let direct = written_as_sanitised(&prepared.events, &prepared.own, &prepared.clean, 0);
        (direct, sanitise_around(prepared.events, prepared.clean, 0))
    }

    #[test]
    fn plain_prose_is_written_without_the_sanitiser() {
        let text = "# T\n\n## A b\n\n### S-pre\n\nText *em* **st** ~~d~~ [l](https://x.y/?a=1&b='2' \"t\") <who@x.y> `c<>`  \nnext &amp; \u{A0}\n\n- [x] done\n- [ ] open\n\n> quote\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```smithy\nstring A\n```\n\n```mermaid\nflowchart LR\n```\n\n```rust\nfn x() {}\n```\n\n    indented\n\n***\n\n3. x\n4. y\n\n   loose\n";
        let (direct, sanitised) = both_ways(text);
        assert_eq!(direct.as_deref(), Some(sanitised.as_str()));
        for text in [
            "## A\n\n<b>raw</b>\n",
            "## A\n\n![i](https://x.y/i.png)\n",
            "## A\n\nx[^n]\n\n[^n]: note\n",
            "## A\n\n[bad](http://[bad)\n",
        ] {
            let (direct, _) = both_ways(text);
            assert_eq!(direct, None, "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Prose written without the sanitiser is what the sanitiser gives back.
        #[test]
        fn prose_written_directly_is_what_the_sanitiser_gives(text in markdown()) {
            let (direct, sanitised) = both_ways(&text);
            if let Some(direct) = direct {
                proptest::prop_assert_eq!(direct, sanitised);
            }
        }
    }

    proptest::proptest! {

        /// Highlighted Smithy is a fixed point of the sanitiser, which is what lets the page
        /// splice it in without passing it through.
        #[test]
        fn highlighted_smithy_is_left_unchanged_by_the_sanitiser(
            code in "(?s)[ -~\t\r\n\u{A0}\u{0}-\u{1F}\u{7F}-\u{FFFF}]{0,80}"
        ) {
            let markup = format!(
                "<pre class=\"smithy\"><code class=\"language-smithy\">{}</code></pre>",
                super::super::highlight::smithy(&code.replace('\0', "\u{FFFD}"))
            );
            proptest::prop_assert_eq!(sanitised_whole(&markup), markup);
        }
    }
}
