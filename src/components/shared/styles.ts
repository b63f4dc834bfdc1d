import {css} from 'lit';

/**
 * What both product-page elements share. The host keeps its reserved block size (--_reserve) from the
 * first paint in every state, so nothing below it ever moves. The Prime badge is a brand mark: its size
 * follows the text, its colours and proportions are fixed (no token); in forced colours, where brand
 * colours can vanish on some themes, the mark keeps its shape in the theme's text colour.
 */
export const productStyles = css`
  :host {
    display: block;
    line-height: 1.4;
    min-block-size: var(--_reserve);
  }
  :host([reserve='none']) {
    min-block-size: 0;
  }
  :host([hidden]) {
    display: none;
  }
  .badge {
    block-size: 1.25em;
    inline-size: auto;
    aspect-ratio: 62 / 20;
    flex: none;
  }
  @media (forced-colors: active) {
    .badge path {
      stroke: CanvasText;
    }
    .badge text {
      fill: CanvasText;
    }
  }
`;
