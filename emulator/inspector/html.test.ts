import { describe, expect, test } from 'vitest';
import { escapeHtml, html, link, linkify, raw, safeHref, textOfHtml, toMarkup } from './html.js';

describe('html``', () => {
  test('escapes every interpolated value, in text and in attributes', () => {
    const name = `<img src=x onerror="alert(1)">'&\``;
    expect(toMarkup(html`<td title="${name}">${name}</td>`)).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;</td>',
    );
  });

  test('keeps nested fragments and raw() as markup; joins lists; drops null, undefined and false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(toMarkup(html`<ul>${items}</ul>${null}${undefined}${false}${0}${raw('<hr>')}`)).toBe('<ul><li>a&lt;</li><li>b</li></ul>0<hr>');
  });

  test('an object that only looks like a fragment is escaped as text', () => {
    expect(toMarkup(html`${{ markup: '<b>' }}`)).toBe('[object Object]');
    expect(escapeHtml('<b>')).toBe('&lt;b&gt;');
  });
});

describe('links', () => {
  test('only http(s) URLs and same-origin paths become hrefs', () => {
    expect(safeHref('https://app.example/reset?code=1')).toBe('https://app.example/reset?code=1');
    expect(safeHref('/uploads/a.png')).toBe('/uploads/a.png');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>', '//evil.example/x', '/\\evil.example', 'vbscript:x', '?code=1', 42]) expect(safeHref(bad), String(bad)).toBeUndefined();
    expect(toMarkup(link('javascript:alert(1)'))).toBe('javascript:alert(1)');
    expect(toMarkup(link('/uploads/a"b.png', 'file'))).toBe('<a href="/uploads/a&quot;b.png">file</a>');
  });

  test('linkify makes the URLs of a text clickable and escapes the rest', () => {
    expect(toMarkup(linkify('Open http://localhost:3000/reset?code=abc. <b>now</b>'))).toBe(
      'Open <a href="http://localhost:3000/reset?code=abc">http://localhost:3000/reset?code=abc</a>. &lt;b&gt;now&lt;/b&gt;',
    );
    expect(toMarkup(linkify('no link, javascript:alert(1)'))).toBe('no link, javascript:alert(1)');
  });

  test("an email's HTML body reads as text: paragraphs as lines, tags dropped, entities decoded once", () => {
    expect(textOfHtml('<p>Hello &amp;lt;you&amp;gt;</p>\n\n\n<p><a href="x">link</a><br>bye</p>')).toBe('Hello &lt;you&gt;\n\nlink\nbye');
  });
});
