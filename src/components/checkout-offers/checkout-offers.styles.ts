import {css} from 'lit';
import {badgeStyles} from '../shared/prime-badge.js';

// The Prime badge's rules (brand mark: size follows the text; forced colours) come from badgeStyles.
export const styles = css`
  ${badgeStyles}
  :host {
    display: block;
    color: var(--bwp-checkout-offers-color, var(--bwp-color-text, inherit));
    font: var(--bwp-checkout-offers-font, inherit);
    line-height: 1.4;
    --_gap: var(--bwp-checkout-offers-gap, 0.75em);
    --_border: var(--bwp-checkout-offers-border-color, var(--bwp-color-border, #d5d9d9));
    --_error: var(--bwp-checkout-offers-error-color, var(--bwp-color-error, #b12704));
    --_accent: var(--bwp-checkout-offers-accent-color, var(--bwp-color-accent, #007185));
  }
  :host([hidden]) {
    display: none;
  }
  .lines {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_gap);
  }
  .line {
    display: grid;
    gap: 0.35em;
    padding-block: var(--_gap);
    border-block-end: 1px solid var(--_border);
  }
  .line p,
  .top p {
    margin: 0;
  }
  .title {
    font-weight: 600;
  }
  .quantity {
    font-weight: normal;
  }
  .delivery {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em;
  }
  .price {
    font-weight: 600;
  }
  .options {
    display: grid;
    gap: 0.35em;
  }
  .options-label {
    font-size: 0.9em;
  }
  .option {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--bwp-checkout-offers-radius, 0.4em);
    cursor: pointer;
  }
  .option:has(input:checked) {
    border-color: var(--_accent);
  }
  .option input {
    margin: 0;
    accent-color: var(--_accent);
  }
  .option:has(input:focus-visible),
  .options[data-keyboard] .option:has(input:focus) {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .error {
    color: var(--_error);
  }
  .top {
    display: grid;
    gap: 0.35em;
  }
`;
