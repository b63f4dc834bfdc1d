import {css} from 'lit';

export const styles = css`
  :host {
    display: inline-block;
    color: var(--bwp-delivery-badge-color, var(--bwp-color-text, inherit));
    font: var(--bwp-delivery-badge-font, inherit);
    line-height: 1.4;
  }
  :host([hidden]) {
    display: none;
  }
  .offer {
    display: inline-flex;
    align-items: center;
    flex-wrap: wrap;
    gap: var(--bwp-delivery-badge-gap, 0.4em);
  }
  .badge {
    /* Brand mark: size follows the text, proportions and colours are fixed. */
    block-size: 1.25em;
    inline-size: auto;
    aspect-ratio: 62 / 20;
    flex: none;
  }
`;
