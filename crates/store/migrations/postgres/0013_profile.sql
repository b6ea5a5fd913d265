-- The directory attributes HR keeps of a person: the same as migrations/sqlite/0012.
ALTER TABLE users
    ADD COLUMN job_title TEXT,
    ADD COLUMN department TEXT,
    ADD COLUMN employee_id TEXT,
    ADD COLUMN work_phone TEXT,
    ADD COLUMN mobile_phone TEXT,
    ADD COLUMN office TEXT,
    ADD COLUMN cost_center TEXT,
    ADD COLUMN start_date TEXT,
    ADD COLUMN end_date TEXT,
    ADD COLUMN manager_id BIGINT REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX users_sort_job_title ON users (job_title NULLS FIRST, id);
CREATE INDEX users_sort_department ON users (department NULLS FIRST, id);
CREATE UNIQUE INDEX users_employee_id ON users (employee_id) WHERE employee_id IS NOT NULL;
CREATE INDEX users_sort_end_date ON users (end_date NULLS FIRST, id);
CREATE INDEX users_manager ON users (manager_id, id);
