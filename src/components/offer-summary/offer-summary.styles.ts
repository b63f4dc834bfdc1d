import {css} from 'lit';

// The reserved size is three lines: headline, promise, returns.
export const styles = css`
  :host {
    --_gap: var(--bwp-offer-summary-gap, 0.25em);
    --_offer-reserve: var(--bwp-offer-summary-reserve, calc(4.2em + 2 * var(--_gap)));
    --_reserve: var(--_offer-reserve);
    color: var(--bwp-offer-summary-color, var(--bwp-color-text, inherit));
    font: var(--bwp-offer-summary-font, inherit);
  }
  .offer {
    display: grid;
    gap: var(--_gap);
    justify-items: start;
  }
  .headline {
    display: flex;
    align-items: center;
    gap: 0.4em;
    font-weight: var(--bwp-offer-summary-headline-weight, 700);
  }
  summary {
    cursor: pointer;
    color: var(--bwp-offer-summary-link-color, var(--bwp-color-link, LinkText));
  }
  details p {
    margin: var(--_gap) 0 0;
  }
  /* With the location control, a fourth line is reserved for it, and the offer keeps its own three
     above it, so the control never moves when the offer arrives. */
  :host([location-control]) {
    --_reserve: calc(var(--_offer-reserve) + 1.4em + var(--_gap));
  }
  :host([location-control]:not([reserve='none'])) .root {
    min-block-size: var(--_offer-reserve);
  }
`;
