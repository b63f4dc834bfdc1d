import {css, html, svg} from 'lit';

// Amazon's brand mark: fixed colours and proportions, no token or styling hook (bwp-api.md §6.2).
const mark = svg`
  <path d="M2 10.5l4 4 8.5-10" fill="none" stroke="#FF9900" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"></path>
  <text x="18" y="15" fill="#00A8E1" font-family="Arial, Helvetica, sans-serif" font-size="15" font-weight="700" font-style="italic">prime</text>`;

/** The Prime badge, `part="badge"`, with the accessible name "Amazon Prime". */
export const primeBadge = () =>
  html`<svg
    part="badge"
    class="badge"
    role="img"
    aria-label="Amazon Prime"
    viewBox="0 0 62 20"
    focusable="false"
  >
    ${mark}
  </svg>`;

/** Its size follows the text; in forced colours, where brand colours can vanish, it keeps its shape in the text colour. */
export const badgeStyles = css`
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
