import {css} from 'lit';

// The location control's own rules, adopted with its code (location-control.ts); the space it takes is
// reserved by the summary's styles from the first paint.
export const locationStyles = css`
  .location {
    margin-block-start: var(--_gap);
  }
  .location button {
    font: inherit;
  }
  .change {
    padding: 0;
    border: 0;
    background: none;
    color: var(--bwp-offer-summary-link-color, var(--bwp-color-link, LinkText));
    text-decoration: underline;
    cursor: pointer;
  }
  .zip-form {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em;
  }
  .zip-form input {
    font: inherit;
    inline-size: 7em;
  }
  .zip-form p,
  .status {
    margin: 0;
    flex-basis: 100%;
  }
  .zip-error,
  .refused {
    color: var(--bwp-offer-summary-error-color, #b12704);
  }
  /* Heard, not seen: the place is already on screen. */
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
