/** The principal may not change this account (an account manager writing another owner's account). */
export class AccountAccessDeniedError extends Error {
  readonly code = 'FORBIDDEN';

  constructor(accountId: string) {
    super(`You may not change account ${accountId}`);
  }
}
