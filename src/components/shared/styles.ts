import {css} from 'lit';

/** What both product-page elements share: the reserved box, the root, and the locked Prime badge. */
export const productStyles = css`
  :host {
    display: block;
    line-height: 1.4;
    /* Reserved from the first paint and kept in every state, so nothing below ever moves. */
    min-block-size: var(--_reserve);
  }
  :host([reserve='none']) {
    min-block-size: 0;
  }
  :host([hidden]) {
    display: none;
  }
  .badge {
    /* Brand mark: size follows the text; colours and proportions are fixed (no token). */
    block-size: 1.25em;
    inline-size: auto;
    aspect-ratio: 62 / 20;
    flex: none;
  }
  @media (forced-colors: active) {
    /* Brand colours are invisible on some high-contrast themes: keep the mark, use the theme's text colour. */
    .badge path {
      stroke: CanvasText;
    }
    .badge text {
      fill: CanvasText;
    }
  }
`;
