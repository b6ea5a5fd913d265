-- The directory attributes HR keeps of a person (roster_core::UserField::PROFILE), each
-- a column named as the field, as text: dates as YYYY-MM-DD, which sorts as it reads.
-- The indexed ones are those the list filters or sorts by, and the end date, by which
-- `roster run-due` finds whom to suspend.
ALTER TABLE users ADD COLUMN job_title TEXT;
ALTER TABLE users ADD COLUMN department TEXT;
ALTER TABLE users ADD COLUMN employee_id TEXT;
ALTER TABLE users ADD COLUMN work_phone TEXT;
ALTER TABLE users ADD COLUMN mobile_phone TEXT;
ALTER TABLE users ADD COLUMN office TEXT;
ALTER TABLE users ADD COLUMN cost_center TEXT;
ALTER TABLE users ADD COLUMN start_date TEXT;
ALTER TABLE users ADD COLUMN end_date TEXT;
-- Whom the user reports to; a manager deleted leaves their reports without one.
ALTER TABLE users ADD COLUMN manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX users_sort_job_title ON users (job_title, id);
CREATE INDEX users_sort_department ON users (department, id);
CREATE UNIQUE INDEX users_employee_id ON users (employee_id) WHERE employee_id IS NOT NULL;
CREATE INDEX users_sort_end_date ON users (end_date, id);
CREATE INDEX users_manager ON users (manager_id, id);
