// Create auth challenge: question n asks for n times seven; the answer
// stays in the private parameters, which only the verify function sees.
export const handler = async (event) => {
  const right = event.request.session
    .filter((s) => s.challengeName === 'CUSTOM_CHALLENGE' && s.challengeResult).length;
  const n = right + 1;
  event.response.publicChallengeParameters = { question: `What is ${n} times 7?` };
  event.response.privateChallengeParameters = { answer: String(n * 7) };
  event.response.challengeMetadata = `QUESTION-${n}`;
  return event;
};
