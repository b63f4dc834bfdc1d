import {css} from 'lit';
import {badgeStyles} from './prime-badge.js';

/**
 * What both product-page elements share. The host keeps its reserved block size (--_reserve) from the
 * first paint in every state, so nothing below it ever moves. The Prime badge is a brand mark: its size
 * follows the text, its colours and proportions are fixed (no token); in forced colours, where brand
 * colours can vanish on some themes, the mark keeps its shape in the theme's text colour.
 */
/** The host of a product-page element: its reserved size in every state, and the badge. */
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
  ${badgeStyles}
`;
